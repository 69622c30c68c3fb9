#!/usr/bin/env python3
"""Every public item of smsc-codec (a type, trait, function, constant or alias reachable from the
crate root) has a code example in its docs. Reads the rustdoc JSON that ci.sh builds with a
pinned nightly (the format changes between nightlies):

    cargo +NIGHTLY rustdoc -p smsc-codec --all-features --lib -- -Z unstable-options --output-format json
    scripts/doc-examples.py target/doc/smsc_codec.json
"""
import json,sys
d=json.load(open(sys.argv[1]))
idx=d['index']
missing=[];total=0;seen=set()
def walk(item_id, prefix):
    global total
    it=idx.get(str(item_id))
    if it is None or item_id in seen: return
    seen.add(item_id)
    k=list(it['inner'].keys())[0]
    name=it.get('name') or ''
    full=prefix+'::'+name if name and prefix else (name or prefix)
    if it.get('visibility')!='public': return
    if k=='module':
        for c in it['inner']['module']['items']: walk(c, full)
        return
    if k=='use':
        u=it['inner']['use']
        if u.get('id') is not None and not u.get('is_glob'): walk(u['id'], prefix)
        return
    if k in ('struct','enum','trait','function','constant','type_alias','macro','static'):
        total+=1
        if '```' not in (it.get('docs') or ''): missing.append((k,full))
walk(d['root'],'')
print(f"{total-len(missing)} of {total} public items have an example")
for m in missing: print("  no example:", *m)
sys.exit(1 if missing else 0)
