// Browser figures for scripts/bench: navigation to first frame (median of 5
// fresh loads), and the CPU time App::Frame() reports for the demo workspace.
import { join } from 'node:path';
import { closeContext, launch, nextFrames, serveBuild, waitForFirstFrame, BUILD } from '../e2e/lib/browser.mjs';
import { pathToFileURL } from 'node:url';

async function firstFrame(url, runs = 5) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const context = await launch(null);
    const page = await context.newPage();
    await page.goto(url);
    await waitForFirstFrame(page, 60000);
    times.push(await page.evaluate(() => window.planner.firstFrameMs));
    await closeContext(context);
  }
  times.sort((a, b) => a - b);
  return times;
}

const { server, url } = await serveBuild();
const hosted = await firstFrame(url);
console.log(`first frame, hosted (ms, 5 loads): median ${hosted[2].toFixed(0)}  min ${hosted[0].toFixed(0)}  max ${hosted[4].toFixed(0)}  (budget 1500)`);
const single = await firstFrame(pathToFileURL(join(BUILD, 'single', 'change-planner.html')).href);
console.log(`first frame, single file (ms, 5 loads): median ${single[2].toFixed(0)}  min ${single[0].toFixed(0)}  max ${single[4].toFixed(0)}`);

const context = await launch(null);
const page = await context.newPage();
await page.goto(url);
await waitForFirstFrame(page);
await nextFrames(page, 30);
const samples = [];
for (let i = 0; i < 30; i++) {
  await nextFrames(page, 1);
  samples.push(await page.evaluate(() => window.planner.state().frameCpuMs));
}
samples.sort((a, b) => a - b);
console.log(`App::Frame() CPU time, demo workspace (ms, 30 frames): median ${samples[15].toFixed(2)}  p90 ${samples[27].toFixed(2)}  (budget 2)`);
await closeContext(context);
server.close();
