// W2 reads by kind for a peer: replays cdpilot's own task file
// (bench/tasks/w2-reads.json, written by bench/gen_tasks.py) step for step
// with Playwright or Puppeteer, so both sides run the very same steps:
//
//   fill css= / click css=       locator fill / click (not timed)
//   extract css=#cart-status      the element's textContent
//   assert target text_matches    textContent, white space collapsed, tested
//                                 against the regex (playwright-core has no
//                                 expect(): one read, as W2 does)
//   assert value equals           Playwright inputValue(); Puppeteer the
//                                 element's .value
//
// scripts/bench copies this file into the peer benchmark's workloads/reads/
// (for ../../lib/common.mjs and node_modules) and runs
//   node workloads/reads/reads.mjs playwright|puppeteer TASK.json
// Steps whose id ends in -warmup or -check are not timed. Result:
// reads_ms.{extract,text,value} (summaries, lib/common.mjs).
import { readFileSync } from 'node:fs';
import { CHROME, CHROME_ARGS, VIEWPORT, baseUrl, mark, finish, main, nowNs, usSince, summarize } from '../../lib/common.mjs';

const [peer, file] = process.argv.slice(2);
const css = (t) => {
  if (!t.startsWith('css=')) throw new Error(`reads: ${t}: only css= targets are replayed`);
  return t.slice(4);
};
const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();

await main(async () => {
  const base = baseUrl();
  const task = JSON.parse(readFileSync(file, 'utf8'));
  let browser, page, ops;
  if (peer === 'playwright') {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROME, headless: true, args: CHROME_ARGS });
    page = await browser.newPage({ viewport: VIEWPORT });
    ops = {
      goto: (u) => page.goto(u),
      fill: (s, v) => page.locator(s).fill(v),
      click: (s) => page.locator(s).click(),
      text: (s) => page.locator(s).textContent(),
      value: (s) => page.locator(s).inputValue(),
    };
  } else if (peer === 'puppeteer') {
    const { default: puppeteer } = await import('puppeteer-core');
    browser = await puppeteer.launch({ executablePath: CHROME, headless: true, args: CHROME_ARGS, defaultViewport: VIEWPORT });
    page = await browser.newPage();
    ops = {
      goto: (u) => page.goto(u),
      fill: (s, v) => page.locator(s).fill(v),
      click: (s) => page.locator(s).click(),
      text: (s) => page.locator(s).map((el) => el.textContent).wait(),
      value: (s) => page.locator(s).map((el) => el.value).wait(),
    };
  } else {
    throw new Error(`reads: peer ${peer}: playwright or puppeteer`);
  }
  page.setDefaultTimeout(10000);
  const result = { workload: 'reads', peer, counts: { steps: task.steps.length } };
  const lat = { extract: [], text: [], value: [] };
  mark('ready');
  for (const s of task.steps) {
    const timed = !/-(warmup|check)$/.test(s.id);
    const t = nowNs();
    let kind = null;
    if (s.goto) {
      await ops.goto(s.goto.replace('${base}', base));
    } else if (s.fill) {
      await ops.fill(css(s.fill), s.value);
    } else if (s.click) {
      await ops.click(css(s.click));
    } else if (s.extract) {
      kind = 'extract';
      await ops.text(css(s.extract));
    } else if (s.assert && s.assert.text_matches) {
      kind = 'text';
      const v = norm(await ops.text(css(s.assert.target)));
      if (!new RegExp(s.assert.text_matches).test(v)) throw new Error(`reads: ${s.id}: text "${v}"`);
    } else if (s.assert && s.assert.value) {
      kind = 'value';
      const v = await ops.value(css(s.assert.value.target));
      if (v !== s.assert.value.equals) throw new Error(`reads: ${s.id}: value "${v}"`);
    } else {
      throw new Error(`reads: ${s.id}: step not replayed`);
    }
    if (timed && kind) lat[kind].push(usSince(t) / 1000);
  }
  result.reads_ms = Object.fromEntries(Object.entries(lat).map(([k, v]) => [k, summarize(v)]));
  mark('reads');
  await browser.close();
  finish(result);
});
