/* cdpilot page script: installed once per frame as window.__cdpilot.
 * Files in selectors/js/ are concatenated in name order between this
 * prologue and 99-epilogue.js; each adds functions to P. */
(function () {
  'use strict';
  if (window.__cdpilot && window.__cdpilot.version === 1) return;
  const P = { version: 1 };
