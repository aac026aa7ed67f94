// JavaScript sample: risky calls (marked) and look-alikes that must not be reported.
// Names in comments are not calls: eval(x), cp.exec(cmd), el.innerHTML = x, Math.random()
'use strict';
const cp = require('child_process');
const { exec, execSync: run, spawn } = require('node:child_process');
const { promisify } = require('util');
const vm = require('vm');
const crypto = require('crypto');
const fs = require('fs');
const https = require('https');
const yaml = require('js-yaml');
const serialize = require('node-serialize');
const execAsync = promisify(cp.exec);

async function handler(req, res, db, el, model, regex, knex, prisma, users, frame) {
  // --- command execution ---
  cp.exec('ls -l ' + req.query.dir); // expect: EL-JS-CHILD-PROCESS-EXEC
  exec(`git log ${req.query.ref}`); // expect: EL-JS-CHILD-PROCESS-EXEC
  run(req.body.cmd); // expect: EL-JS-CHILD-PROCESS-EXEC
  cp.execSync('uptime'); // expect: EL-JS-CHILD-PROCESS-EXEC
  await execAsync(req.body.cmd); // expect: EL-JS-CHILD-PROCESS-EXEC
  require('child_process').exec(req.body.cmd); // expect: EL-JS-CHILD-PROCESS-EXEC
  spawn(req.body.cmd, { shell: true }); // expect: EL-JS-CHILD-PROCESS-SHELL
  cp.execFile('/bin/sh', ['-c', req.body.cmd]); // expect: EL-JS-CHILD-PROCESS-SHELL
  cp.spawnSync('ls', ['-la'], { shell: true }); // expect: EL-JS-CHILD-PROCESS-SHELL
  spawn('git', ['log', req.query.ref]);
  cp.execFileSync('convert', [input, output], { shell: false });
  spawn('git', ['status'], { cwd: req.body.dir });
  regex.exec(req.body.text);
  /ab+c/.exec(req.body.text);
  shell.exec(req.body.cmd);
  // --- code evaluation ---
  eval(req.body.expr); // expect: EL-JS-EVAL
  eval('1 + 2'); // expect: EL-JS-EVAL
  window.eval(req.body.expr); // expect: EL-JS-EVAL
  model.eval();
  const f = new Function('a', 'b', req.body.code); // expect: EL-JS-NEW-FUNCTION
  const g = Function('return ' + req.body.expr); // expect: EL-JS-FUNCTION-CALL
  const h = Function.apply(this, req.body.params); // expect: EL-JS-FUNCTION-CALL
  const k = Function.call(null, 'a', req.body.code); // expect: EL-JS-FUNCTION-CALL
  const b = Function.bind(null, 'a', req.body.code); // expect: EL-JS-FUNCTION-CALL
  const applied = handler.apply(this, req.body.params);
  const called = Function.prototype.call.call(handler, null, req.body.code);
  setTimeout('refresh(' + req.query.id + ')', 100); // expect: EL-JS-STRING-TIMER
  setInterval('tick()', 1000); // expect: EL-JS-STRING-TIMER
  setTimeout(() => run2(), 10);
  setInterval(tick, 1000);
  vm.runInNewContext(req.body.code, {}); // expect: EL-JS-VM-RUN
  vm.runInThisContext('globalThis.x = 1');
  const script = new vm.Script(req.body.code); // expect: EL-JS-VM-SCRIPT
  // --- deserialization ---
  const profile = serialize.unserialize(req.cookies.profile); // expect: EL-JS-NODE-SERIALIZE
  const cfg = yaml.load(req.body.yaml); // expect: EL-JS-YAML-LOAD
  yaml.loadAll(req.body.yaml, (doc) => docs.push(doc)); // expect: EL-JS-YAML-LOAD
  const safe = yaml.load(req.body.yaml, { schema: yaml.JSON_SCHEMA });
  const safer = yaml.safeLoad(req.body.yaml);
  const data = JSON.parse(req.body.json);
  // --- SQL ---
  db.query('SELECT * FROM users WHERE id = ' + req.params.id); // expect: EL-JS-SQL
  db.query(`DELETE FROM t WHERE name = '${req.body.name}'`); // expect: EL-JS-SQL
  knex.raw('SELECT * FROM t ORDER BY ' + req.query.sort); // expect: EL-JS-SQL
  await prisma.$queryRawUnsafe(`SELECT * FROM "User" WHERE email = '${email}'`); // expect: EL-JS-SQL
  knex('users').whereRaw('name = ' + req.query.name); // expect: EL-JS-SQL
  await sequelize.query("SELECT * FROM projects WHERE status = '" + req.query.status + "'"); // expect: EL-JS-SQL
  await sequelize.query('SELECT * FROM projects WHERE status = :status', { replacements: { status } });
  const empty = new Function();
  try {
    new Function(`return ${req.body.expr}`)  // compiled to check its syntax, never called
  } catch (e) {
    warn(e);
  }
  try { new Function(req.body.code); } catch (e) { warn(e); }
  new Function(req.body.code)  // expect: EL-JS-NEW-FUNCTION
  (req.body.args);
  new Function(req.body.code)(); // expect: EL-JS-NEW-FUNCTION
  const checked = new Function(req.body.code); // expect: EL-JS-NEW-FUNCTION
  db.query('SELECT * FROM t WHERE id = ?', [id]);
  db.query(sql`SELECT * FROM t WHERE id = ${id}`);
  db.execute('SELECT 1');
  users.find({ $where: 'this.age > ' + req.query.age }); // expect: EL-JS-MONGO-WHERE
  users.find({ age: { $gt: req.query.age } });
  // --- cross-site scripting ---
  el.innerHTML = req.query.html; // expect: EL-JS-INNER-HTML
  el.innerHTML += '<li>' + item + '</li>'; // expect: EL-JS-INNER-HTML
  document.getElementById('out').outerHTML = `<p>${msg}</p>`; // expect: EL-JS-INNER-HTML
  el.innerHTML = '';
  el.innerHTML = DOMPurify.sanitize(req.query.html);
  el.textContent = req.query.html;
  document.write('<h1>' + title + '</h1>'); // expect: EL-JS-DOCUMENT-WRITE
  frame.contentWindow.document.writeln(body); // expect: EL-JS-DOCUMENT-WRITE
  document.write('<p>static</p>');
  el.insertAdjacentHTML('beforeend', `<li>${item}</li>`); // expect: EL-JS-INSERT-HTML
  el.insertAdjacentHTML('beforeend', '<hr>');
  $('#greeting').html('Hello ' + name); // expect: EL-JS-JQUERY-HTML
  $('#list').append(`<li>${item}</li>`); // expect: EL-JS-JQUERY-HTML
  $('#greeting').text('Hello ' + name);
  $('#list').append(node);
  const view = <div dangerouslySetInnerHTML={{ __html: comment.body }} />; // expect: EL-JS-DANGEROUSLY-SET-INNER-HTML
  const fixed = <div dangerouslySetInnerHTML={{ __html: '<br/>' }} />;
  const plain = <div title={comment.body}>{comment.body}</div>;
  // --- cryptography and randomness ---
  crypto.createHash('md5').update(password).digest('hex'); // expect: EL-JS-WEAK-HASH
  crypto.createHash('sha256').update(data).digest('hex');
  crypto.createHmac('sha1', key).update(data).digest('hex');
  crypto.createCipheriv('des-ede3-cbc', key, iv); // expect: EL-JS-WEAK-CIPHER
  crypto.createCipheriv('aes-128-ecb', key, null); // expect: EL-JS-WEAK-CIPHER
  crypto.createCipheriv('aes-256-gcm', key, iv);
  crypto.createCipher('aes-256-cbc', password); // expect: EL-JS-CREATE-CIPHER
  const token = Math.random().toString(36); // expect: EL-JS-MATH-RANDOM
  const id2 = crypto.randomUUID();
  https.get(url, { rejectUnauthorized: false }); // expect: EL-JS-TLS-NO-VERIFY
  const agent = new https.Agent({ rejectUnauthorized: false }); // expect: EL-JS-TLS-NO-VERIFY-NEW
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // expect: EL-JS-TLS-ENV
  https.get(url, { rejectUnauthorized: true });
  // --- other weaknesses ---
  const re = new RegExp(req.query.pattern); // expect: EL-JS-DYNAMIC-REGEXP
  const re2 = new RegExp('^[a-z]+$', 'i');
  const re3 = new RegExp(escapeRegExp(req.query.pattern));
  const plugin = require('./plugins/' + req.query.name); // expect: EL-JS-DYNAMIC-REQUIRE
  const mod = await import(req.query.module); // expect: EL-JS-DYNAMIC-REQUIRE
  const buf = new Buffer(req.body.size); // expect: EL-JS-NEW-BUFFER
  const buf2 = Buffer.from(req.body.text);
  window.parent.postMessage(secret, '*'); // expect: EL-JS-POSTMESSAGE-STAR
  window.parent.postMessage(secret, 'https://app.example.com');
  window.postMessage('zero-timeout-message-' + ticks++, '*'); // a counter: carries no data
  window.postMessage('ready', '*');
  window.postMessage({ user: secret }, '*'); // expect: EL-JS-POSTMESSAGE-STAR
  window.opener.postMessage({ event: 'clear', n: 1 }, '*');
  window.opener.postMessage({ event: 'clear', ...secret }, '*'); // expect: EL-JS-POSTMESSAGE-STAR
  window.opener.postMessage({ [secret]: 1 }, '*'); // expect: EL-JS-POSTMESSAGE-STAR
  fs.chmodSync('/tmp/out', 0o777); // expect: EL-JS-CHMOD-WORLD-WRITABLE
  fs.chmod(path, '666', done); // expect: EL-JS-CHMOD-WORLD-WRITABLE
  fs.chmodSync('/tmp/out', 0o644);
  const note = 'eval(x) and cp.exec(cmd) in a string are not calls';
}

function createApiKey() {
  return Math.random().toString(36).slice(2) + Date.now(); // expect: EL-JS-MATH-RANDOM
}

const layout = { jitter: Math.random() * 4, csrfToken: Math.random() }; // expect: EL-JS-MATH-RANDOM
const color = `hsl(${Math.floor(Math.random() * 360)}, 50%, 50%)`;
const expando = 'jQuery' + ('3.7.1' + Math.random()).replace(/\D/g, '');
