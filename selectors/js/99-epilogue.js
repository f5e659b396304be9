  Object.defineProperty(window, '__cdpilot', { value: P, configurable: true });
})();
