#!/usr/bin/env python3
"""Converts pyx12 5010 maps (../shared/reference/x12-maps, BSD) into Carebus X12 schemas (mappings/x12/*.yaml).

Usage: python3 mappings/x12/generator/pyx12_to_carebus.py ../shared/reference/x12-maps mappings/x12

Output format (read by io.carebus.x12.schema.SchemaLoader):
  transaction: "835"                 # ST01
  versions: [005010X221A1]           # GS08 / ST03 accepted for this schema
  body:                              # what lies between ST and SE (ST and SE included)
    - segment: BPR                   # a segment: usage R/S/N, max use, syntax notes (X12 P/R/C/E/L)
      usage: R
      max: 1
      syntax: [P0607]
      elements:                      # "<usage> <data element> [codes]"; composites: "<usage> C<nnn>",
        BPR01: R 305 [C, D, H]       #   their components SV101-1, SV101-2...; "*n" repeats n times;
        BPR02: R 782                 #   lengths and types come from elements.yaml
    - loop: "1000A"                  # a loop: usage, repeat (">1" unbounded), its body
      usage: R
      repeat: 1
      body: [...]
Wrapper loops of pyx12 (HEADER, DETAIL, FOOTER, TABLE2AREA*) are flattened into their parent.
Elements whose code list is external (states, remark codes...) carry no code list.
"""
import os
import sys
import xml.etree.ElementTree as ET

MAPS = {
    # pyx12 map file -> (output file, ST01, accepted implementation references)
    '835.5010.X221.A1.xml': ('835.005010X221A1.yaml', '835', ['005010X221A1']),
    '837.5010.X222.A1.xml': ('837P.005010X222A1.yaml', '837', ['005010X222A1', '005010X222A2']),
    '837Q3.I.5010.X223.A1.xml': ('837I.005010X223A2.yaml', '837', ['005010X223A1', '005010X223A2', '005010X223A3']),
    '834.5010.X220.A1.xml': ('834.005010X220A1.yaml', '834', ['005010X220A1']),
    '277.5010.X212.xml': ('277.005010X212.yaml', '277', ['005010X212']),
    '277.5010.X214.xml': ('277CA.005010X214.yaml', '277', ['005010X214']),
    '999.5010X231.A1.xml': ('999.005010X231A1.yaml', '999', ['005010X231A1', '005010X231']),
}

WRAPPER = {'HEADER', 'DETAIL', 'FOOTER'}

# Local corrections to pyx12's dataele.xml: 447 (loop identifier, IK303 / LS01) is AN 1-6 in 5010 (2010AA).
DATAELE_CORRECTIONS = {'447': ('AN', '1', '6')}


def text(node, tag, default=None):
    child = node.find(tag)
    return child.text.strip() if child is not None and child.text else default


def quote(value):
    if value == '' or any(c in value for c in ':#[]{},&*!|>\'"%@` ') or value.lower() in (
            'y', 'n', 'yes', 'no', 'true', 'false', 'on', 'off', 'null', '~'):
        return '"' + value.replace('"', '\\"') + '"'
    return value


def codes_of(node, version_codes=None):
    valid = node.find('valid_codes')
    if valid is None or valid.get('external'):
        return None
    codes = [c.text.strip() for c in valid.findall('code') if c.text]
    if version_codes is not None:
        codes = version_codes
    return codes or None


def element_spec(node, version_codes=None):
    usage = text(node, 'usage', 'S')
    spec = usage + ' ' + text(node, 'data_ele', '?')
    repeat = text(node, 'repeat')
    if repeat and repeat != '1':
        spec += ' *' + ('>1' if repeat == '>1' else repeat)
    codes = codes_of(node, version_codes)
    if codes:
        spec += ' [' + ', '.join(quote(c) for c in codes) + ']'
    return spec


def write_segment(out, seg, indent, versions):
    pad = ' ' * indent
    out.append(f"{pad}- segment: {seg.get('xid')}")
    out.append(f"{pad}  name: {quote(text(seg, 'name', ''))}")
    out.append(f"{pad}  usage: {text(seg, 'usage', 'S')}")
    max_use = text(seg, 'max_use', '1')
    out.append(f"{pad}  max: {quote(max_use)}")
    syntax = [s.text.strip() for s in seg.findall('syntax') if s.text]
    if syntax:
        out.append(f"{pad}  syntax: [{', '.join(syntax)}]")
    out.append(f"{pad}  elements:")
    for child in seg:
        # some pyx12 maps leave out the reference designator: segment id + sequence
        xid = child.get('xid') or (seg.get('xid') + text(child, 'seq', '??'))
        if child.tag == 'element':
            override = versions if xid == 'ST03' else None
            out.append(f"{pad}    {xid}: {quote(element_spec(child, override))}")
        elif child.tag == 'composite':
            out.append(f"{pad}    {xid}: {quote(element_spec(child))}")
            for n, comp in enumerate(child.findall('element'), start=1):
                out.append(f"{pad}    {xid}-{n}: {quote(element_spec(comp))}")


def write_body(out, loop, indent, versions):
    for child in loop:
        if child.tag == 'segment':
            if child.get('xid') in ('GS', 'GE', 'ISA', 'IEA'):
                continue
            write_segment(out, child, indent, versions)
        elif child.tag == 'loop':
            xid = child.get('xid')
            if child.get('type') == 'wrapper' or xid in WRAPPER or xid.startswith('TABLE'):
                write_body(out, child, indent, versions)
                continue
            pad = ' ' * indent
            out.append(f"{pad}- loop: {quote(xid)}")
            out.append(f"{pad}  name: {quote(text(child, 'name', ''))}")
            out.append(f"{pad}  usage: {text(child, 'usage', 'S')}")
            out.append(f"{pad}  repeat: {quote(text(child, 'repeat', '1'))}")
            out.append(f"{pad}  body:")
            write_body(out, child, indent + 4, versions)


def find_loop(node, xid):
    for loop in node.iter('loop'):
        if loop.get('xid') == xid:
            return loop
    raise ValueError('no loop ' + xid)


def convert(map_file, out_file, st01, versions):
    root = ET.parse(map_file).getroot()
    st_loop = find_loop(root, 'ST_LOOP')
    out = [
        f"# Generated by mappings/x12/generator/pyx12_to_carebus.py from pyx12 {os.path.basename(map_file)} (BSD).",
        "# Regenerate rather than edit by hand; local corrections go in the generator.",
        f"transaction: {quote(st01)}",
        f"name: {quote(text(root, 'name', ''))}",
        f"versions: [{', '.join(versions)}]",
        "body:",
    ]
    write_body(out, st_loop, 2, versions)
    with open(out_file, 'w') as f:
        f.write('\n'.join(out) + '\n')


def convert_elements(dataele_file, out_file):
    root = ET.parse(dataele_file).getroot()
    out = ["# Generated from pyx12 dataele.xml (BSD): X12 data element number: type min max",
           "# Types: AN string, ID code, N0/N2 implied-decimal numeric, R decimal, DT date, TM time, B binary."]
    rows = {e.get('ele_num'): e for e in root.findall('data_ele')}  # pyx12 lists a few numbers twice
    for num, e in sorted(rows.items()):
        data_type, min_len, max_len = DATAELE_CORRECTIONS.get(num, (e.get('data_type'), e.get('min_len'), e.get('max_len')))
        out.append(f"{quote(num)}: {data_type} {min_len} {max_len}")
    with open(out_file, 'w') as f:
        f.write('\n'.join(out) + '\n')


# 837D (005010X224A2) has no pyx12 map: it is derived from the 837P schema. The envelope, provider, subscriber,
# patient, other-payer and line-adjudication loops are the same; the claim drops the professional-only segments
# (ambulance, spinal manipulation, vision and DME certifications) and adds DN1/DN2 (orthodontics, tooth status);
# the service line is SV3 (dental service) with TOO (tooth information) instead of SV1, without drug (2410) and
# form (2440) loops.
DENTAL_VERSIONS = ['005010X224A1', '005010X224A2']
DENTAL_CLAIM_DROP = {'CR1', 'CR2', 'CRC', 'HCP', 'K3'}
DENTAL_LINE_DROP = {'SV1', 'SV5', 'CR1', 'CR3', 'CRC', 'MEA', 'PS1', 'HCP', 'K3', 'LIN', 'CTP'}
DENTAL_LINE_LOOPS_DROP = {'2410', '2440'}
SV3 = {'segment': 'SV3', 'name': 'Dental Service', 'usage': 'R', 'max': '1', 'elements': {
    'SV301': 'R C003', 'SV301-1': 'R 235 [AD]', 'SV301-2': 'R 234', 'SV301-3': 'S 1339', 'SV301-4': 'S 1339',
    'SV301-5': 'S 1339', 'SV301-6': 'S 1339', 'SV301-7': 'S 352', 'SV302': 'R 782', 'SV303': 'S 1331',
    'SV304': 'S C006', 'SV304-1': 'R 1361', 'SV304-2': 'S 1361', 'SV304-3': 'S 1361', 'SV304-4': 'S 1361',
    'SV304-5': 'S 1361', 'SV305': 'S 1358 [I, R]', 'SV306': 'R 380', 'SV307': 'N 352', 'SV308': 'N 1073',
    'SV309': 'N 1073', 'SV310': 'N 1073', 'SV311': 'S C004', 'SV311-1': 'R 1328', 'SV311-2': 'S 1328',
    'SV311-3': 'S 1328', 'SV311-4': 'S 1328'}}
TOO = {'segment': 'TOO', 'name': 'Tooth Information', 'usage': 'S', 'max': '32', 'elements': {
    'TOO01': 'R 1270 [JP]', 'TOO02': 'R 1271', 'TOO03': 'S C005', 'TOO03-1': 'R 1369', 'TOO03-2': 'S 1369',
    'TOO03-3': 'S 1369', 'TOO03-4': 'S 1369', 'TOO03-5': 'S 1369'}}
DN1 = {'segment': 'DN1', 'name': 'Orthodontic Total Months of Treatment', 'usage': 'S', 'max': '1', 'elements': {
    'DN101': 'S 380', 'DN102': 'S 380', 'DN103': 'N 1073', 'DN104': 'S 352'}}
DN2 = {'segment': 'DN2', 'name': 'Tooth Status', 'usage': 'S', 'max': '35', 'elements': {
    'DN201': 'R 127', 'DN202': 'R 1368 [E, M, X]', 'DN203': 'N 380', 'DN204': 'S 1270 [JP]'}}


def derive_837d(professional_yaml, out_file):
    import yaml
    schema = yaml.safe_load(open(professional_yaml))

    def walk(items, in_claim=False, in_line=False):
        out = []
        for item in items:
            if 'segment' in item:
                sid = item['segment']
                if sid == 'ST':
                    item['elements']['ST03'] = 'R 1705 [' + ', '.join(DENTAL_VERSIONS) + ']'
                if in_line and sid in DENTAL_LINE_DROP:
                    if sid == 'SV1':
                        out.append(dict(SV3))
                        out.append(dict(TOO))
                    continue
                if in_claim and not in_line and sid in DENTAL_CLAIM_DROP:
                    continue
                out.append(item)
                if in_claim and not in_line and sid == 'DTP' and not any(o.get('segment') == 'DN1' for o in out):
                    pass
            else:
                lid = str(item['loop'])
                if in_line and lid in DENTAL_LINE_LOOPS_DROP:
                    continue
                item['body'] = walk(item['body'], in_claim or lid == '2300', in_line or lid == '2400')
                if lid == '2300':
                    body = item['body']
                    # DN1 / DN2 after the claim dates, before PWK
                    at = next((i for i, o in enumerate(body) if o.get('segment') == 'PWK'), 1)
                    body[at:at] = [dict(DN1), dict(DN2)]
                out.append(item)
        return out

    schema['name'] = 'HIPAA Health Care Claim: Dental 005010X224A2 (derived from 837P)'
    schema['versions'] = DENTAL_VERSIONS
    schema['body'] = walk(schema['body'])
    with open(out_file, 'w') as f:
        f.write('# Generated by mappings/x12/generator/pyx12_to_carebus.py: derived from 837P.005010X222A1.yaml '
                '(see DENTAL_* in the generator).\n')
        yaml.safe_dump(schema, f, sort_keys=False, width=120, allow_unicode=True)


def main():
    maps_dir, out_dir = sys.argv[1], sys.argv[2]
    for map_name, (out_name, st01, versions) in MAPS.items():
        convert(os.path.join(maps_dir, map_name), os.path.join(out_dir, out_name), st01, versions)
        print('wrote', out_name)
    derive_837d(os.path.join(out_dir, '837P.005010X222A1.yaml'), os.path.join(out_dir, '837D.005010X224A2.yaml'))
    print('wrote 837D.005010X224A2.yaml')
    convert_elements(os.path.join(maps_dir, 'dataele.xml'), os.path.join(out_dir, 'elements.yaml'))
    print('wrote elements.yaml')


if __name__ == '__main__':
    main()
