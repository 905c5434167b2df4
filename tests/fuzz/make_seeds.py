#!/usr/bin/env python3
"""Write the seed corpora of tests/fuzz/ from the lab's own material.

    tests/fuzz/make_seeds.py

  log/       the logs of every real run under tests/golden/ (one seed a run, its logs
             separated by '#log', its lesson and options as directives: see fuzz_log.c), thinned
             to every 8th sample, read, write and wire event so that a seed stays small; and one
             line of every kind of event those logs hold, alone
  wire/      the segments the captures of those runs logged, built back into frames (Ethernet,
             raw IP, Linux cooked, IPv6, and a capture on lo that sees each packet twice: see
             fuzz_wire.c for the framing)
  units/     sizes, durations and rates as the README, the scenarios and the unit tests write them
  schedule/  the plans the programs, the scenarios and the unit tests use

Seeds are named seed-*; the inputs libFuzzer found that once crashed a target, added by hand,
are named crash-*. This script replaces the seed-* files only.
"""
import glob
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, '..', 'golden')
CORPUS = os.path.join(HERE, 'corpus')
FREQUENT = {'sample', 'read', 'write', 'wire'}

UNITS = [
    '64K', '64KB', '64KiB', '65536', '1M', '1MiB', '4M', '1G', '2GiB', '16K', '256K', '1B', '0',
    '0B', '1.5K', '0.5M', '1.25G', '2s', '250ms', '1.5s', '100us', '10ns', '1m', '0s', '3s',
    '500ms', '2300ms', '0.001s', '1.000000001s', '2M/s', '1M/s', '64K/s', '4G/s', '18446744073709551615',
    '18446744073709551615ns', '18446744073709551616', '17179869183G', '307445734m', '-1', '+1',
    '1 s', '2x', 's', '.5s', '1.', '1e3', '0x10', '99999999999999999999999', 'lots', '',
    '16G', '1.9999999999999999999999999m',
]

PLANS = [
    'stall 2s, drain', 'read 4K every 10ms', 'write 26B, stall 3s, close', 'drain',
    'write 1B every 100ms for 2300ms', 'write 10B, stall 3s, write 13B', 'write 23B',
    'write 1B', 'write 10K', 'stall 1s, read 1K every 100ms for 5s',
    'stall 2s, read 1K every 100ms for 5s', 'stall 1s, read 1K, stall 2s',
    'stall 1s, read 4K every 10ms for 2s, read 64K, drain for 250ms, close',
    '  read 1M ,\tread   4K every 10ms  for 1s ,drain for 250ms,'
    'write 64KiB every 1.5s for 1m, stall 0s, stall 100us, close  ',
    'stall 300000000m, stall 300000000m', 'stall 18446744073709551614ns, read 1K, drain for 1ns',
    'read 1K every 1ns for 18446744073709551615ns', 'stall 2s, drain, stall 1s', 'nap 2s',
    'read 0', 'drain for 0s', 'read 4K for 1s', 'stall 1s,,drain', ', '.join(['stall 1ms'] * 33),
    'stall 3s', 'close', 'read 4K every 10ms for 1s more', '',
]


# Kinds the golden runs do not have, as the programs write them (timeline.h).
LINES = [
    '{"t_ns":1000,"prog":"slow_reader","kind":"error","text":"pattern error at offset 300007: '
    'expected 0xfe, got 0x01","offset":300007,"expected_byte":254,"got_byte":1}',
    '{"t_ns":1000,"prog":"fast_peer","kind":"error","call":"write","errno_name":"EPIPE",'
    '"errno_text":"Broken pipe"}',
    '{"t_ns":1000,"prog":"fast_peer","kind":"warning","call":"accept","errno_name":"EMFILE",'
    '"errno_text":"Too many open files","text":"out of descriptors","accepted":12}',
    '{"t_ns":1000,"prog":"fast_peer","kind":"acked","bytes":24,"after_us":35}',
    '{"t_ns":1000,"prog":"fast_peer","kind":"timeouts_set","read_us":500000,"write_us":500000,'
    '"user_us":1000000}',
    '{ "t_ns" : -0 , "prog":"a\\u0041\\n\\t\\"\\/\\b\\f\\r","kind":"\\u007fé"}',
]


def write(kind, name, data):
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(CORPUS, kind, 'seed-' + name), 'wb') as f:
        f.write(data)


def clear_seeds():
    for kind in ('log', 'wire', 'units', 'schedule'):
        os.makedirs(os.path.join(CORPUS, kind), exist_ok=True)
        for path in glob.glob(os.path.join(CORPUS, kind, 'seed-*')):
            os.remove(path)


def golden_runs():
    for d in sorted(glob.glob(os.path.join(GOLDEN, '*', 'args'))):
        d = os.path.dirname(d)
        logs = sorted(glob.glob(os.path.join(d, '*.jsonl')))
        args = open(os.path.join(d, 'args')).read().split()
        yield os.path.basename(d), args, logs


def directives(args):
    out = []
    for i, a in enumerate(args):
        if a == '--lesson':
            out.append('#lesson ' + args[i + 1])
        elif a == '--figure-prefix':
            out.append('#prefix ' + args[i + 1])
    return out


def log_seeds():
    kinds = {}
    for name, args, logs in golden_runs():
        lines = directives(args)
        for i, path in enumerate(logs):
            if i:
                lines.append('#log')
            seen = {}
            for line in open(path):
                line = line.rstrip('\n')
                ev = json.loads(line)
                k = (ev.get('prog'), ev.get('kind'))
                kinds.setdefault(k, line)
                if k[1] in FREQUENT:
                    seen[k] = seen.get(k, 0) + 1
                    if seen[k] % 8 != 1:
                        continue
                lines.append(line)
        write('log', name, '\n'.join(lines) + '\n')
    for (prog, kind), line in sorted(kinds.items()):
        write('log', 'line-%s-%s' % (prog, kind), line + '\n')
    for i, line in enumerate(LINES):
        write('log', 'line-extra-%d' % i, line + '\n')


FLAGS = {'F': 0x01, 'S': 0x02, 'R': 0x04, 'P': 0x08, 'A': 0x10}


def tcp(ev, isn):
    flags = sum(FLAGS[c] for c in ev['flags'])
    opts = b''
    if 'wscale' in ev:
        opts = bytes([1, 3, 3, ev['wscale']])          # NOP, window scale
    hlen = 20 + len(opts)
    seq = (isn[ev['src_port']] + ev['seq']) & 0xffffffff
    ack = (isn[ev['dst_port']] + ev['ack']) & 0xffffffff
    hdr = struct.pack('>HHIIBBHHH', ev['src_port'], ev['dst_port'], seq, ack, (hlen // 4) << 4,
                      flags, ev['win_raw'], 0, 0) + opts
    return hdr, ev['len']


def ipv4(seg, payload):
    return struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(seg) + payload, 0, 0x4000, 64, 6, 0,
                       bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])) + seg


def ipv6(seg, payload):
    return struct.pack('>IHBB16s16s', 6 << 28, len(seg) + payload, 6, 64,
                       bytes(15) + b'\x01', bytes(15) + b'\x01') + seg


def frames(events, link):
    """The header byte's link type and the frames, each cut after its headers (a short
    snapshot length), with the time since the one before."""
    isn = {}
    out = b''
    last = None
    for ev in events:
        for port, base in ((ev['src_port'], 1000000), (ev['dst_port'], 3000000000)):
            isn.setdefault(port, base + 7919 * len(isn))
        seg, payload = tcp(ev, isn)
        if link == 'ipv6':
            frame = ipv6(seg, payload)
        else:
            frame = ipv4(seg, payload)
        if link in ('ethernet', 'loopback'):
            frame = bytes(12) + b'\x08\x00' + frame
        elif link == 'ipv6':
            frame = bytes(12) + b'\x86\xdd' + frame
        elif link == 'sll':
            frame = struct.pack('>HHH8sH', 0, 772, 6, bytes(8), 0x0800) + frame
        dt = 0 if last is None else min((ev['t_ns'] - last) // 10000, 0xffff)
        last = ev['t_ns']
        out += struct.pack('>HH', len(frame), dt) + frame
        if link == 'loopback':                   # the copy a capture on lo sees too
            out += struct.pack('>HH', len(frame), 0) + frame
    return out


def wire_seeds():
    header = {'ethernet': 0, 'raw': 1, 'sll': 2, 'ipv6': 0, 'loopback': 4}
    for name, _, logs in golden_runs():
        for path in logs:
            if not path.endswith('capture.jsonl'):
                continue
            events = [json.loads(line) for line in open(path)]
            events = [ev for ev in events if ev.get('kind') == 'wire']
            write('wire', name, bytes([header['ethernet']]) + frames(events, 'ethernet'))
            if name == 'window_zero':
                for link in ('raw', 'sll', 'ipv6', 'loopback'):
                    write('wire', name + '-' + link,
                          bytes([header[link]]) + frames(events[:80], link))


def main():
    clear_seeds()
    log_seeds()
    wire_seeds()
    for i, s in enumerate(UNITS):
        write('units', '%02d' % i, s)
    for i, s in enumerate(PLANS):
        write('schedule', '%02d' % i, s)


main()
