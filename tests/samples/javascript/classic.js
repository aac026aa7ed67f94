// A classic script (no import, export or require): its top-level functions are globals, which other
// scripts and inline handlers may call with anything (issue 12).
function highlight(word) {
  return new RegExp(word); // expect: EL-JS-DYNAMIC-REGEXP
}
highlight('a+');

(function () {
  var opt = function (input) {
    return '(?:' + input + ')?';
  };
  var number = new RegExp('^[0-9]+' + opt('\\.[0-9]+') + '$');
})();
