#!/usr/bin/env python3
"""Writes the cdpilot-only task files of `make bench` into bench/tasks/
from the shared target lists (../shared/bench/fixtures/big-targets.json)
and the page itself (big.html, to find each target's css= twin):

  w2-intent.json     W2 (fill / click / read) with plain-words targets for
                     the fill and click steps (optional: see opt()) ("Full name field",
                     "Add Bamboo cutting board to cart button"); read stays
                     css=#cart-status
  w2-css.json        the same steps with explicit css= targets for the same
                     elements (the baseline the intent rows are held to)
  w4-intent.json     W4 locate (wait_for target) of role and label targets
                     in plain words ("Details for Ceramic teapot link",
                     "Quantity for Bamboo cutting board field")
  w4-css.json        the same elements by css=
  w2-pair.json       w2-intent and w2-css in one task, each plain-words
  w4-pair.json       step next to its css= twin (pairs())
  w2-reads.json      W2's cycle with css= targets, the read rotating through
                     extract, assert text and assert value (of the field
                     just filled): the "read by kind" rows. The peers replay
                     this very file (bench/peers/reads.mjs)
  w5-autowait.json   the shared W5 file plus, per iteration, a
                     "-seen-check" eval: page clock now - appearedAt, i.e.
                     button attached -> the controller's next command
                     reached the page (the peers' "seen")

Counts: W2 30 warm-up + INTENT_W2 timed, W4 10 warm-up + INTENT_W4 timed per
strategy (smaller than the peer rows: a cold plain-words step costs a full
candidate collection). Step ids follow gen-tasks.mjs (-warmup / -check are
not timed).
   bench/gen_tasks.py [SHARED_BENCH_DIR]
"""
import html.parser
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', 'shared', 'bench')
OUT = os.path.join(HERE, 'tasks')
INTENT_W2 = 90
INTENT_W4 = 30
WARM_W2, WARM_W4 = 30, 10
READS_W2 = 150           # timed reads in w2-reads.json, a third of each kind


class Page(html.parser.HTMLParser):
    """Just enough of big.html: label[for] texts, aria-labels, link texts."""

    def __init__(self):
        super().__init__()
        self.label_for = {}     # label text -> id
        self.aria = {}          # aria-label -> (tag, count)
        self.link_text = {}     # link text -> [href]
        self.stack = []         # open (tag, attrs, text parts)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if 'aria-label' in a:
            t, n = self.aria.get(a['aria-label'], (tag, 0))
            self.aria[a['aria-label']] = (tag, n + 1)
        if tag in ('label', 'a', 'button'):
            self.stack.append((tag, a, []))

    def handle_data(self, data):
        for s in self.stack:
            s[2].append(data)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1][0] == tag:
            t, a, parts = self.stack.pop()
            text = ' '.join(''.join(parts).split())
            if t == 'label' and a.get('for'):
                self.label_for[text] = a['for']
            elif t == 'a' and a.get('href') and 'aria-label' not in a:
                self.link_text.setdefault(text, []).append('a[href=%s]' % css_quote(a['href']))
            elif t == 'button' and 'aria-label' not in a:
                self.link_text.setdefault(text, []).append('#' + a['id'] if a.get('id') else None)


def css_quote(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def css_for_label(pg, label):
    if label in pg.label_for:
        return '#' + pg.label_for[label]
    tag, n = pg.aria.get(label, (None, 0))
    if n == 1:
        return f'{tag}[aria-label={css_quote(label)}]'
    raise SystemExit(f'gen_tasks: no unique css for label {label!r}')


def css_for_role(pg, t):
    tag, n = pg.aria.get(t['name'], (None, 0))
    if n == 1:
        return f'{tag}[aria-label={css_quote(t["name"])}]'
    sels = pg.link_text.get(t['name'], [])
    if len(sels) == 1 and sels[0]:
        return sels[0]
    return None   # no css twin: the target is left out of both variants


ROLE_WORD = {'textbox': 'field', 'searchbox': 'field', 'spinbutton': 'field',
             'checkbox': 'checkbox', 'button': 'button', 'link': 'link'}


def words_label(t):
    return f'{t["label"]} {ROLE_WORD.get(t["role"], "field")}'


def words_role(t):
    return f'{t["name"]} {ROLE_WORD.get(t["role"], t["role"])}'


def rx(s):
    """S as a regex that matches it (PCRE2 and JavaScript alike)."""
    return ''.join('\\' + ch if ch in '.^$*+?()[]{}|\\/' else ch for ch in s)


def opt(step, variant):
    """Plain-words steps are optional: a target the heuristics find
    uncertain (near-identical names, e.g. "Town or city" / "Billing town or
    city") fails alone, without an LLM, and is counted, not timed."""
    if variant == 'intent':
        step['optional'] = True
    return step


def task(name, steps):
    return {'schema_version': 1, 'name': name, 'vars': {'base': 'http://127.0.0.1:8080'}, 'steps': steps}


def write(fname, t):
    head = json.dumps({k: v for k, v in t.items() if k != 'steps'}, separators=(',', ':'))[:-1]
    body = ',\n'.join('  ' + json.dumps(s, separators=(',', ':')) for s in t['steps'])
    with open(os.path.join(OUT, fname), 'w') as f:
        f.write(f'{head},\n "steps": [\n{body}\n ]\n}}\n')
    print(f'{fname}: {len(t["steps"])} steps')


def pairs(intent, css):
    """One task of both spellings, each plain-words step next to its css=
    twin (id "css-" + its id), the twin second in even pairs of an action
    and first in odd ones: one process, one page, adjacent steps, so that a warm cache
    hit is held to the explicit step it replaces without the spread
    between processes (the "alternated" rows of `make bench`). Steps the
    two share (goto, read) appear once; css= asserts that count clicks do
    not hold when every click is made twice, so they are left out."""
    twin = {s['id']: s for s in css}
    out, k = [], {}
    for s in intent:
        c = twin.get(s['id'])
        if c is None or c == s:
            out.append(s)
            continue
        c = dict(c, id='css-' + s['id'])
        # counted per action: W2 alternates fill and click, so one count
        # for both would put every fill's twin second, every click's first
        act = min(set(s) - {'id', 'optional', 'value'})
        n = k[act] = k.get(act, -1) + 1
        out += [s, c] if n % 2 == 0 else [c, s]
    return out


def main():
    T = json.load(open(os.path.join(SHARED, 'fixtures', 'big-targets.json')))
    pg = Page()
    pg.feed(open(os.path.join(SHARED, 'fixtures', 'big.html')).read())
    os.makedirs(OUT, exist_ok=True)
    pad = lambda i: f'{i:04d}'

    made = {}
    # W2: the same cycle as gen-tasks.mjs, two target spellings.
    for variant in ('intent', 'css'):
        steps = [{'id': 'w2-goto-warmup', 'goto': '${base}/big.html'}]
        nf = nc = 0
        for i in range(WARM_W2 + INTENT_W2):
            sfx = '-warmup' if i < WARM_W2 else ''
            kind = ('fill', 'click', 'read')[i % 3]
            if kind == 'fill':
                f = T['w2']['fill'][nf % len(T['w2']['fill'])]
                nf += 1
                tg = words_label(f) if variant == 'intent' else 'css=' + css_for_label(pg, f['label'])
                steps.append(opt({'id': f'w2-{pad(i)}-fill{sfx}', 'fill': tg, 'value': f'value-{i:03d}'}, variant))
            elif kind == 'click':
                c = T['w2']['click'][nc % len(T['w2']['click'])]
                nc += 1
                tg = words_role(c) if variant == 'intent' else 'css=' + css_for_role(pg, c)
                steps.append(opt({'id': f'w2-{pad(i)}-click{sfx}', 'click': tg}, variant))
            else:
                steps.append({'id': f'w2-{pad(i)}-read{sfx}', 'extract': 'css=' + T['w2']['read'], 'as': 'status'})
        if variant == 'css':
            steps.append({'id': 'w2-count-check', 'assert': {'js': f"document.getElementById('cart-count').textContent === '{nc}'"}})
        write(f'w2-{variant}.json', task(f'bench W2 steps, {variant} targets', steps))
        made['w2', variant] = steps

    # W4: role, label and text lists, locate = wait_for target. Text
    # targets are plain words as they are (what getByText gets); their
    # explicit form is text=, big.html having no css for most of them.
    for variant in ('intent', 'css'):
        steps = []
        for kind in ('role', 'label', 'text'):
            usable = [t for t in T['w4'][kind] if kind != 'role' or css_for_role(pg, t)]
            lst = usable[:INTENT_W4]
            if kind == 'text':
                make = (lambda t: t) if variant == 'intent' else (lambda t: 'text=' + t)
            elif variant == 'intent':
                make = words_role if kind == 'role' else words_label
            else:
                make = (lambda t: 'css=' + css_for_role(pg, t)) if kind == 'role' else \
                       (lambda t: 'css=' + css_for_label(pg, t['label']))
            steps.append({'id': f'w4-{kind}-goto-warmup', 'goto': '${base}/big.html'})
            steps.append(opt({'id': f'w4-{kind}-first', 'wait_for': {'target': make(lst[0])}}, variant))
            for i in range(1, WARM_W4 + 1):
                steps.append(opt({'id': f'w4-{kind}-{pad(i)}-warmup', 'wait_for': {'target': make(usable[INTENT_W4 + i])}}, variant))
            for i, t in enumerate(lst):
                steps.append(opt({'id': f'w4-{kind}-{pad(i)}', 'wait_for': {'target': make(t)}}, variant))
        write(f'w4-{variant}.json', task(f'bench W4 locate, {variant} targets', steps))
        made['w4', variant] = steps
    for w in ('w2', 'w4'):
        write(f'{w}-pair.json', task(f'bench {w.upper()}, plain words and css= alternated',
                                     pairs(made[w, 'intent'], made[w, 'css'])))

    # W2 reads by kind: fill -> click -> read, the read taking turns as
    # extract, assert text (the status the click wrote) and assert value
    # (the field the fill wrote); fills and clicks by css=, not timed.
    steps = [{'id': 'w2r-goto-warmup', 'goto': '${base}/big.html'}]
    kinds = ('extract', 'text', 'value')
    for i in range(WARM_W2 // 3 + READS_W2):
        sfx = '-warmup' if i < WARM_W2 // 3 else ''
        f = T['w2']['fill'][i % len(T['w2']['fill'])]
        c = T['w2']['click'][i % len(T['w2']['click'])]
        fcss = 'css=' + css_for_label(pg, f['label'])
        value = f'value-{i:03d}'
        steps.append({'id': f'w2r-{pad(i)}-fill-check', 'fill': fcss, 'value': value})
        steps.append({'id': f'w2r-{pad(i)}-click-check', 'click': 'css=' + css_for_role(pg, c)})
        k = kinds[i % 3]
        rid = f'w2r-{pad(i)}-{k}{sfx}'
        status = 'css=' + T['w2']['read']
        product = c['name'].removeprefix('Add ').removesuffix(' to cart')
        if k == 'extract':
            steps.append({'id': rid, 'extract': status, 'as': 'status'})
        elif k == 'text':
            steps.append({'id': rid, 'assert': {'target': status, 'text_matches':
                                                '^Added ' + rx(product) + r' to cart\.'}})
        else:
            steps.append({'id': rid, 'assert': {'value': {'target': fcss, 'equals': value}}})
    write('w2-reads.json', task('bench W2 reads by kind', steps))

    # W5 with a seen time.
    w5 = json.load(open(os.path.join(SHARED, 'cdpilot', 'w5-autowait.json')))
    steps = []
    for s in w5['steps']:
        steps.append(s)
        if s['id'].endswith('-reaction-check'):
            i = s['id'].split('-')[1]
            steps.append({'id': f'w5-{i}-seen-check',
                          'eval': 'performance.timeOrigin + performance.now() - window.__bench.appearedAt',
                          'as': f'seen_{int(i)}'})
    write('w5-autowait.json', task('bench W5 auto-wait (with seen time)', steps))


if __name__ == '__main__':
    main()
