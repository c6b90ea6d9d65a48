/** A V8 CPU profile of part of a benchmark (`--profile FILE`; open the file in Chrome's DevTools). */
import fs from 'node:fs';

export async function startProfile(file: string | undefined): Promise<{ stop: () => Promise<void> }> {
  if (!file) return { stop: async () => undefined };
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async () => {
      fs.writeFileSync(file, JSON.stringify((await session.post('Profiler.stop')).profile));
      session.disconnect();
    },
  };
}
