/**
 * PGlite is a single-process database: two processes opening the same folder corrupt it. A pid
 * lock file beside the data directory refuses the second opener with a clear message; a lock left
 * by a process that no longer exists is taken over.
 */
import { openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { AppError } from '../errors';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDirLock(dataDir: string): () => void {
  const file = `${dataDir.replace(/\/+$/, '')}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new AppError('conflict', {
          zh: `数据目录 ${dataDir} 正被另一个 minsheng 进程（pid ${pid}）使用；内嵌数据库只允许一个进程。请先停止服务器，或改用 DATABASE_URL 连接 PostgreSQL`,
          en: `The data directory ${dataDir} is in use by another minsheng process (pid ${pid}); the embedded database allows one process. Stop the server first, or use DATABASE_URL with PostgreSQL`,
        });
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
