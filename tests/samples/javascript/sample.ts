// TypeScript sample: type wrappers are seen through; declarations and signatures are not calls.
import cp = require('child_process');
import * as childProcess from 'child_process';
import { exec as runShell, execFile } from 'node:child_process';
import nodeCp from 'child_process';
import * as vm from 'node:vm';
import { createHash, randomBytes } from 'crypto';
import type { Request } from 'express';
import yaml from 'js-yaml';

interface Runner {
  exec(cmd: string): void;
  eval(expr: string): number;
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

function exec(cmd: string): void {}

class Shell implements Runner {
  exec(cmd: string): void {
    this.exec(cmd);
  }
  eval(expr: string): number {
    return 0;
  }
  query(sql: string): Promise<unknown> {
    return Promise.resolve(sql);
  }
}

export async function handle(req: Request, db: Runner, el: HTMLElement | null, model: Shell): Promise<void> {
  const cmd = req.query.cmd as string;
  (cp as any).exec(cmd!); // expect: EL-JS-CHILD-PROCESS-EXEC
  childProcess.execSync(`tar xf ${req.body.file as string}`); // expect: EL-JS-CHILD-PROCESS-EXEC
  runShell(cmd satisfies string); // expect: EL-JS-CHILD-PROCESS-EXEC
  nodeCp.exec(<string>req.body.cmd); // expect: EL-JS-CHILD-PROCESS-EXEC
  cp?.exec('ls ' + cmd); // expect: EL-JS-CHILD-PROCESS-EXEC
  execFile('bash', ['-c', cmd]); // expect: EL-JS-CHILD-PROCESS-SHELL
  execFile('tar', ['xf', cmd]);
  exec(cmd);
  model.exec(cmd);
  model.eval(cmd);
  eval(cmd as string); // expect: EL-JS-EVAL
  vm.compileFunction(req.body.code as string); // expect: EL-JS-VM-RUN
  const cfg = yaml.load(req.body as string) as Record<string, unknown>; // expect: EL-JS-YAML-LOAD
  await db.query(`SELECT * FROM users WHERE id = ${req.params.id}`); // expect: EL-JS-SQL
  await db.query('SELECT * FROM users WHERE id = $1', [req.params.id]);
  el!.innerHTML = req.body.html as string; // expect: EL-JS-INNER-HTML
  (el as HTMLElement).outerHTML = (`<i>${req.body.name}</i>`); // expect: EL-JS-INNER-HTML
  el!.textContent = req.body.html;
  const digest = createHash('sha1').update(cmd).digest('hex'); // expect: EL-JS-WEAK-HASH
  const salt = randomBytes(16);
  const n = Math.floor(Math.random() * 10);
  const otp = String(Math.floor(Math.random() * 1e6)).padStart(6, '0'); // expect: EL-JS-MATH-RANDOM
  setTimeout((): void => model.exec(cmd), 10);
  setTimeout(() => run(), 10);
  const pattern = new RegExp(req.query.q as string, 'g'); // expect: EL-JS-DYNAMIC-REGEXP
}
