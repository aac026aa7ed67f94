const { exec } = require('child_process');

function showComment(comment) {
  document.getElementById('comments').innerHTML = comment;
}

function archive(name) {
  exec('tar czf backup.tgz ' + name);
}

module.exports = { showComment, archive };
