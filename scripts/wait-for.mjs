// Waits until a URL answers (any HTTP status below 500), or fails after a time limit.
const [url, seconds = '60'] = process.argv.slice(2);
const deadline = Date.now() + Number(seconds) * 1000;
for (;;) {
  try {
    const res = await fetch(url);
    if (res.status < 500) process.exit(0);
  } catch {
    // not up yet
  }
  if (Date.now() > deadline) {
    console.error(`${url} did not answer within ${seconds}s`);
    process.exit(1);
  }
  await new Promise(r => setTimeout(r, 500));
}
