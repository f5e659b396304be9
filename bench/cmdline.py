#!/usr/bin/env python3
"""Prints the Chromium command line cdpilot launches (for cmdlines.txt,
next to the peers'): runs a short `cdpilot do` and reads /proc/PID/cmdline
of the browser process it starts.
   cmdline.py CDPILOT BASE_URL"""
import os
import subprocess
import sys
import time

cdpilot, base = sys.argv[1], sys.argv[2]
chrome = os.environ.get('BENCH_CHROME', '/usr/lib/chromium/chromium')
p = subprocess.Popen([cdpilot, 'do', base + '/big.html', 'eval', 'new Promise(r => setTimeout(r, 1500))', '--chrome', chrome,
                      '--no-cache', '--no-llm', '-q'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
found = None
deadline = time.time() + 10
while found is None and time.time() < deadline and p.poll() is None:
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open(f'/proc/{pid}/stat') as f:
                ppid = int(f.read().rsplit(')', 1)[1].split()[1])
            if ppid != p.pid:
                continue
            with open(f'/proc/{pid}/cmdline', 'rb') as f:
                argv = f.read().split(b'\0')[:-1]
        except (OSError, ValueError, IndexError):
            continue
        if argv and b'chrom' in argv[0]:
            found = [a.decode(errors='replace') for a in argv]
            break
    time.sleep(0.02)
p.wait()
print('\n# cdpilot')
if found:
    print(' \\\n    '.join(found))
    want = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
            '--disable-component-update', '--no-first-run', '--disable-sync']
    missing = [w for w in want if w not in found]
    print('# the benchmark flags (README rule 2):', 'all present' if not missing else 'MISSING ' + ' '.join(missing))
else:
    print('(no browser process seen)')
