/* cdpilot page script: installed once per frame as window.__cdpilot.
 * Files in selectors/js/ are concatenated in name order between this
 * prologue and 99-epilogue.js; each adds functions to P. */
(function () {
  'use strict';
  if (window.__cdpilot && window.__cdpilot.version === 1) return;
  const P = { version: 1 };
  /* This script runs before the page's own: keep the built-ins a page
   * may replace or wrap (a polyfill's Map, zone.js's Promise, timers and
   * MutationObserver), so that a page neither breaks these functions nor
   * sees their work (an Angular zone would run change detection on our
   * timers and event listeners). */
  const w0 = window;
  const Map = w0.Map, Set = w0.Set, WeakMap = w0.WeakMap;
  const Promise = w0.Promise, MutationObserver = w0.MutationObserver;
  const JSON = { stringify: w0.JSON.stringify, parse: w0.JSON.parse };
  const setTimeout = w0.setTimeout.bind(w0);
  const clearTimeout = w0.clearTimeout.bind(w0);
  const requestAnimationFrame = w0.requestAnimationFrame.bind(w0);
  const cancelAnimationFrame = w0.cancelAnimationFrame.bind(w0);
  const queueMicrotask = w0.queueMicrotask.bind(w0);
  const addListener = w0.EventTarget.prototype.addEventListener;
  const removeListener = w0.EventTarget.prototype.removeEventListener;
