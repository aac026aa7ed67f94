// Values the file shows (issue 12, pattern 1): module constants, templates of constants, a regular
// expression literal's .source, constant objects and arrays; and what makes a name data again.
const cp = require('child_process');

const WORD = '[a-z]+';
const SEPARATOR = `\\s*${WORD}`;
const LITERAL = /ab+c/i;
const PARTS = { word: WORD, digit: '\\d+' };
const KEYWORDS = ['if', 'else', 'while'];
const MARKER = '\0SLASH' + Math.random() + '\0';

const whole = new RegExp('^' + WORD + '$');
const alternatives = new RegExp(`${SEPARATOR}|x`, 'g');
const extended = new RegExp(LITERAL.source + '|' + WORD);
const keyed = new RegExp(PARTS.digit);
const keywords = new RegExp('\\b(' + KEYWORDS.join('|') + ')\\b');
const marker = new RegExp(MARKER, 'g');
const upper = new RegExp(WORD.toUpperCase());

let later = 'a';
function reset(input) { later = input; }
const reassigned = new RegExp(later); // expect: EL-JS-DYNAMIC-REGEXP
const MUTABLE = { a: 'x' };
MUTABLE.a = process.argv[2];
const changed = new RegExp(MUTABLE.a); // expect: EL-JS-DYNAMIC-REGEXP
const GROWING = ['a'];
GROWING.push(process.argv[2]);
const grown = new RegExp(GROWING.join('|')); // expect: EL-JS-DYNAMIC-REGEXP

function search(query, db, safe) {
  const fromInput = new RegExp(query); // expect: EL-JS-DYNAMIC-REGEXP
  const local = WORD + '?';
  const fromLocal = new RegExp(local);
  const escaped = new RegExp('^' + escapeRegExp(query) + '$');
  const shadow = new RegExp(WORD.replace('a', query)); // expect: EL-JS-DYNAMIC-REGEXP

  let command = 'ls';
  cp.exec(command); // expect: EL-JS-CHILD-PROCESS-EXEC
  command = 'ls ' + query;
  cp.exec(command); // expect: EL-JS-CHILD-PROCESS-EXEC
  command = 'pwd';
  if (safe) command = query;
  cp.exec(command); // expect: EL-JS-CHILD-PROCESS-EXEC

  const sql = 'SELECT * FROM t WHERE id = ' + query;
  db.query(sql); // expect: EL-JS-SQL
  const fixed = 'SELECT * FROM t';
  db.query(fixed + ' WHERE a = 1');
  db.query(fixed + ' WHERE id = ?', [query]);
}

// Escaped inline before it becomes a pattern: the standard idiom, with the class literal or held in a name.
const META = /[-\/\\^$*+?.()|[\]{}]/g;
function literally(word, text) {
  const a = new RegExp('^' + word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$');
  const b = new RegExp(text.replace(META, '\\$&'), 'g');
  const c = new RegExp(word.replace(/-/g, '_')); // expect: EL-JS-DYNAMIC-REGEXP
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz';
  const d = new RegExp('[' + digits.slice(0, word.length) + ']');
  const e = new RegExp(text.slice(0, 8)); // expect: EL-JS-DYNAMIC-REGEXP
  return [a, b, c, d, e];
}

// Through a function of this file: its return values, whatever it is called with.
function quoteMeta(s) {
  return s.replace(/[-[\]{}()*+?.,\\^$|#\s]/g, '\\$&');
}
const asIs = (s) => s;
const unescapedIf = (s, raw) => (raw ? s : quoteMeta(s));
function throughFunctions(text) {
  const a = new RegExp(quoteMeta(text.start) + '[\\s\\S]*?' + quoteMeta(text.end), 'ig');
  const b = new RegExp(asIs(text)); // expect: EL-JS-DYNAMIC-REGEXP
  const c = new RegExp(unescapedIf(text, true)); // expect: EL-JS-DYNAMIC-REGEXP
  let later = quoteMeta;
  later = asIs;
  const d = new RegExp(later(text)); // expect: EL-JS-DYNAMIC-REGEXP
  const e = new RegExp('\\b' + 'delete,typeof,void'.split(',').join('\\s*\\(|\\b'));
  const f = new RegExp(text.split(',').join('|')); // expect: EL-JS-DYNAMIC-REGEXP
  let l;
  const g = new RegExp(`[${(l = Array.from(text).join('')), l.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&')}]`, 'g');
  const h = new RegExp(`[${(l = 'a'), text}]`); // expect: EL-JS-DYNAMIC-REGEXP
  const i = new RegExp(unescape(text)); // expect: EL-JS-DYNAMIC-REGEXP
  const j = new RegExp(text.source, 'y'); // a copy of a compiled expression with other flags
  const k = new RegExp(text.source + '|x'); // expect: EL-JS-DYNAMIC-REGEXP
  return [a, b, c, d, e, f, g, h, i, j, k];
}

// Elements of arrays: a loop or callback over constants gives constants (issue 12).
'video audio iframe object'.split(' ').forEach(function (name) {
  const end = new RegExp('</' + name + '[^>]*>');
});
const TAGS = ['b', 'i'];
for (const tag of TAGS) {
  const open = new RegExp('<' + tag + '>');
}
TAGS.map((tag) => new RegExp(tag + '$'));
function fromData(list) {
  list.forEach((item) => new RegExp(item)); // expect: EL-JS-DYNAMIC-REGEXP
  for (const item of list) {
    const re = new RegExp(item); // expect: EL-JS-DYNAMIC-REGEXP
  }
  const grown = ['a'];
  grown.push(list[0]);
  grown.forEach(function (g) {
    const re = new RegExp(g); // expect: EL-JS-DYNAMIC-REGEXP
  });
  ['a', 'b'].reduce(function (acc, x) {
    return new RegExp(acc); // expect: EL-JS-DYNAMIC-REGEXP
  });
}
Tools.each('video audio'.split(' '), function (name) {
  const end = new RegExp('</' + name + '[^>]*>', 'gi');
});
$.each(TAGS, function (i, tag) {
  const re = new RegExp('^' + tag + i);
});
function libraryLoops(list) {
  $.each(list, function (i, tag) {
    const re = new RegExp(tag); // expect: EL-JS-DYNAMIC-REGEXP
  });
  Tools.each(TAGS, function (name, i, extra) {
    const re = new RegExp(extra); // expect: EL-JS-DYNAMIC-REGEXP
  });
}

// Parameters of functions only this file calls: what every call passes (issue 12).
function Directives(start, end) {
  this.block = new RegExp(start.source + / beautify( \w+[:]\w+)+ /.source + end.source, 'g');
}
const comments = new Directives(/\/\*/, /\*\//);
const markup = new Directives(/<!--/, /-->/);
function closeTag(name) {
  return new RegExp('</' + name + '[^>]*>');
}
closeTag('script');
closeTag('style');
function exposed(name) {
  return new RegExp(name); // expect: EL-JS-DYNAMIC-REGEXP
}
exposed('a');
module.exports = exposed;
function fromCaller(name) {
  return new RegExp(name); // expect: EL-JS-DYNAMIC-REGEXP
}
fromCaller('a');
fromCaller(location.hash);
export function exported(name) {
  return new RegExp(name); // expect: EL-JS-DYNAMIC-REGEXP
}
exported('a');
function spread(name) {
  return new RegExp(name); // expect: EL-JS-DYNAMIC-REGEXP
}
spread(...process.argv);
const arrow = (name) => new RegExp(name + '$');
arrow('x');
function recursive(name, n) {
  if (n) recursive(name + 'a', n - 1);
  return new RegExp(name);
}
recursive('a', 3);
function neverCalled(name) {
  return new RegExp(name); // expect: EL-JS-DYNAMIC-REGEXP
}
TAGS.forEach(tag => new RegExp(tag));
function bareArrow(list) {
  list.forEach(item => new RegExp(item)); // expect: EL-JS-DYNAMIC-REGEXP
}
function shared(name) {
  return new RegExp(name); // expect: EL-JS-DYNAMIC-REGEXP
}
shared('a');
const api = { shared };
function quoted(name) {
  return new RegExp(name);
}
quoted('a'); // quoted(location.hash) in a comment is not a call
const note = 'quoted(location.hash) in a string is not a call either';
// Review cases: callbacks of APIs that are not iteration, lists changed through a member, a
// Function used on the line after a long comment, a request's .source.
db.each('SELECT cmd FROM jobs', (err, row) => {
  const re = new RegExp(row); // expect: EL-JS-DYNAMIC-REGEXP
});
const CONFIG = { parts: ['a'] };
CONFIG.parts.push(location.hash);
const joined = new RegExp(CONFIG.parts.join('|')); // expect: EL-JS-DYNAMIC-REGEXP
function go(req) {
  new Function(req.query.code) // expect: EL-JS-NEW-FUNCTION ....................................................................................................................................................................................................................................................................................................................................................................
  ();
  return new RegExp(req.query.source); // expect: EL-JS-DYNAMIC-REGEXP
}

// Names a test around the use has compared with constants (dominating conditions).
function readUntil(tag, input, kind) {
  let re;
  if ('script' === tag || 'style' === tag) {
    input.readUntil(new RegExp('</' + tag + '[\\n\\r\\t ]*?>', 'ig'));
  } else {
    input.readUntil(new RegExp('</' + tag + '>')); // expect: EL-JS-DYNAMIC-REGEXP
  }
  const a = tag === 'x' ? new RegExp(tag) : null;
  const b = tag === 'x' && new RegExp('^' + tag);
  const c = tag !== 'x' && new RegExp('^' + tag); // expect: EL-JS-DYNAMIC-REGEXP
  switch (kind) {
    case 'a':
    case 'b':
      re = new RegExp(kind);
      break;
    case 'c':
      kind = input;
      re = new RegExp(kind); // expect: EL-JS-DYNAMIC-REGEXP
      break;
    default:
      re = new RegExp(kind); // expect: EL-JS-DYNAMIC-REGEXP
  }
  if (tag === 'y') { tag = input; re = new RegExp(tag); } // expect: EL-JS-DYNAMIC-REGEXP
  if (tag === 'y' || input) { re = new RegExp(tag); } // expect: EL-JS-DYNAMIC-REGEXP
  return [a, b, c, re];
}

// An escape written as a replacer function, and a pattern compiled only to check its syntax.
function compileOptions(opts, source, flags) {
  const extension = opts.extension.replace(/[\\^$*+?.():=!|{}\-[\]]/g, function (arg) { return '\\' + arg; });
  const a = new RegExp('\\.' + extension + '$');
  const slashed = opts.extension.replace(/[\\^$*+?.():=!|{}\-[\]]/g, function (arg) { return '/' + arg; });
  const b = new RegExp('\\.' + slashed + '$'); // expect: EL-JS-DYNAMIC-REGEXP
  const arrow = opts.word.replace(/[.*+?^${}()|[\]\\]/g, (c) => '\\' + c);
  const c = new RegExp(arrow);
  let error = null;
  try { new RegExp(source, flags) } catch (e) { error = e.message }
  const d = new RegExp(source, flags); // expect: EL-JS-DYNAMIC-REGEXP
  return [a, b, c, d, error];
}

// Look-alikes a review found: a default that falls through, a function that may set the name
// between the test and the use, a use deferred into a callback, an assignment inside the test,
// and escapes that leave metacharacters alone.
function reviewedNarrowing(cmd, req, load) {
  let re;
  switch (cmd) {
    default:
      console.log('any');
    case 'ls':
      re = new RegExp(cmd); // expect: EL-JS-DYNAMIC-REGEXP
  }
  let shared = 'a';
  const reset = () => { shared = req.query.q; };
  if (shared === 'a') { load(reset); re = new RegExp(shared); } // expect: EL-JS-DYNAMIC-REGEXP
  if (cmd === 'ls') { setTimeout(() => new RegExp(cmd).test('x')); } // expect: EL-JS-DYNAMIC-REGEXP
  if (cmd === 'ls' && (cmd = req.query.other)) { re = new RegExp(cmd); } // expect: EL-JS-DYNAMIC-REGEXP
  const negated = req.query.q.replace(/[^.*+?^${}()|[\]\\]/g, (c) => '\\' + c);
  const partial = req.query.q.replace(/[.*+?^${}[\]]/g, (c) => '\\' + c);
  return [re, new RegExp(negated), new RegExp(partial)]; // expect: EL-JS-DYNAMIC-REGEXP
}
