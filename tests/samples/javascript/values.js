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
