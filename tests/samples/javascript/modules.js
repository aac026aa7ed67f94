// Patterns built from values the program's own modules define (issue 12, pattern 1): imports of
// relative modules, an AMD module's dependencies, a regular expression's .source; and look-alikes
// whose values come from a library, the process or the caller.
import { ncname } from './patterns';
import * as CONSTANTS from '../constants';
import { unicodeRegExp } from 'core/util/lang';
import argv from 'minimist';

const { whitespace, identifier } = require('./var/patterns');
const booleans = require('./var/booleans');
const lib = require('some-library');

const qnameCapture = `((?:${ncname}\\:)?${ncname})`;
const startTagOpen = new RegExp(`^<${qnameCapture}`);
const trimmed = new RegExp('^' + whitespace + '+|' + whitespace + '+$', 'g');
const ids = new RegExp('^#(' + identifier + ')');
const bool = new RegExp('^(?:' + booleans.list.join('|') + ')$', 'i');
const anyKey = new RegExp(CONSTANTS.KEY.toLowerCase());
const name = new RegExp(`^[a-zA-Z][\\-\\.0-9_${unicodeRegExp.source}]*$`);

const fromLibrary = new RegExp(lib.pattern); // expect: EL-JS-DYNAMIC-REGEXP
const fromArgv = new RegExp(argv.filter); // expect: EL-JS-DYNAMIC-REGEXP
const fromEnv = new RegExp('^' + whitespace + process.env.PATTERN); // expect: EL-JS-DYNAMIC-REGEXP
const sourceOfData = new RegExp(CONSTANTS.KEY + lib.source); // expect: EL-JS-DYNAMIC-REGEXP

export function matcher(prefix, re, options) {
  const own = new RegExp(whitespace + identifier);
  const mixed = new RegExp(whitespace + prefix); // expect: EL-JS-DYNAMIC-REGEXP
  const copied = new RegExp(re.source + whitespace); // a compiled expression's pattern, already a pattern
  const notRegex = new RegExp(options.source + whitespace); // expect: EL-JS-DYNAMIC-REGEXP
  const pattern = new RegExp(unicodeRegExp.source + prefix); // expect: EL-JS-DYNAMIC-REGEXP
  return [own, mixed, copied, notRegex, pattern];
}

define(['./var/whitespace', 'jquery', './var/pnum'], function (ws, $, pnum) {
  const rcssNum = new RegExp('^(?:([+-])=|)(' + pnum + ')([a-z%]*)$', 'i');
  const rtrim = new RegExp('^' + ws + '+', 'g');
  const fromJquery = new RegExp($.expr.match.ID.source); // a copy of a compiled expression
  const fromPlugin = new RegExp($.pattern); // expect: EL-JS-DYNAMIC-REGEXP
  return function (selector) {
    return new RegExp(ws + selector); // expect: EL-JS-DYNAMIC-REGEXP
  };
});
