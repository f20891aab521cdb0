# The minimal rewrites progenitor needs before it accepts the published
# Atlas spec, applied to a copy in a temporary folder (never committed).
# Each step is counted so BENCHMARKS.md can say what it loses.
#   python3 benches/progenitor_rewrite.py IN.json OUT.json cycles,symbols,media,noschema,one2xx
import json, sys, re
src, dst, steps = sys.argv[1], sys.argv[2], sys.argv[3].split(',')
d = json.load(open(src))
S = d['components']['schemas']
count = {}
def bump(k, n=1): count[k] = count.get(k, 0) + n

if 'cycles' in steps:
    # A subtype whose allOf names a union (oneOf/discriminator) that lists it:
    # inline the union's own properties instead of the $ref.
    for name, s in S.items():
        for i, part in enumerate(s.get('allOf', [])):
            ref = part.get('$ref', '')
            if not ref: continue
            parent = S.get(ref.split('/')[-1], {})
            listed = json.dumps(parent.get('oneOf', [])) + json.dumps(parent.get('discriminator', {}))
            if '/' + name + '"' in listed:
                s['allOf'][i] = {'type': 'object', 'properties': parent.get('properties', {}),
                                 **({'required': parent['required']} if 'required' in parent else {})}
                bump('allOf cycles broken')

def walk(node, fn):
    if isinstance(node, dict):
        fn(node)
        for v in node.values(): walk(v, fn)
    elif isinstance(node, list):
        for v in node: walk(v, fn)

if 'symbols' in steps:
    def drop_symbol_enums(n):
        vals = n.get('enum')
        if isinstance(vals, list) and any(isinstance(v, str) and not re.search('[A-Za-z0-9]', v) for v in vals):
            del n['enum']; bump('enums with symbol-only values made plain strings')
    walk(d, drop_symbol_enums)

def newest(content):
    keys = sorted(k for k in content if k.endswith('+json') or k == 'application/json')
    return keys[-1] if keys else None

if 'media' in steps:
    for path, item in d['paths'].items():
        for m, op in item.items():
            if not isinstance(op, dict) or 'responses' not in op: continue
            rb = op.get('requestBody')
            if rb and 'content' in rb:
                k = newest(rb['content'])
                if k:
                    if len(rb['content']) > 1: bump('request versions dropped', len(rb['content']) - 1)
                    rb['content'] = {'application/json': rb['content'][k]}
            for code, r in op['responses'].items():
                if 'content' not in r: continue
                c = r['content']
                k = newest(c)
                if k:
                    if len(c) > 1: bump('response versions/formats dropped', len(c) - 1)
                    r['content'] = {'application/json': c[k]}
                else:
                    bump('csv/gzip responses made octet-stream')
                    r['content'] = {'application/octet-stream': {'schema': {'type': 'string', 'format': 'binary'}}}
if 'noschema' in steps:
    for path, item in d['paths'].items():
        for m, op in item.items():
            if not isinstance(op, dict) or 'responses' not in op: continue
            for code, r in op['responses'].items():
                c = r.get('content')
                if c and all('schema' not in v for v in c.values()):
                    del r['content']; bump('schema-less response content removed')
if 'one2xx' in steps:
    for path, item in d['paths'].items():
        for m, op in item.items():
            if not isinstance(op, dict) or 'responses' not in op: continue
            codes = sorted(k for k in op['responses'] if str(k).startswith('2'))
            for k in codes[1:]:
                del op['responses'][k]; bump('extra 2xx responses removed')
            for k in [k for k in op['responses'] if not str(k).startswith('2')]:
                r = op['responses'][k]
                if '$ref' not in r and 'content' not in r:
                    del op['responses'][k]; bump('body-less error responses removed')
                elif '$ref' not in r and 'ApiError' not in json.dumps(r.get('content')):
                    r['content'] = {'application/json': {'schema': {'$ref': '#/components/schemas/ApiError'}}}
                    bump('specific error schemas replaced by ApiError')
json.dump(d, open(dst, 'w'))
print(json.dumps(count))
