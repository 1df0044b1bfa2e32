#!/usr/bin/env python3
"""Where a JFR recording's CPU samples are: top methods (self), areas (H2, Jetty, Jackson, ...), our code inclusive.

Usage: jfr print --json --stack-depth 200 --events jdk.ExecutionSample host.jfr > samples.json
       bench/jfr-profile.py samples.json [FROM TO]     (FROM/TO: UTC times HH:MM:SS.mmm, the measured phase; -t: timeline)
Record with bench/run.sh --host-opts "... -XX:StartFlightRecording=filename=/tmp/host.jfr,settings=profile".
"""
import json, sys, collections, datetime
d = json.load(open(sys.argv[1]))
args = [a for a in sys.argv[2:] if a != '-t']
t0 = args[0] if args else None
t1 = args[1] if len(args) > 1 else None
ev = d['recording']['events']

def area(cls):
    c = cls.replace('/', '.')
    pairs = [('org.h2.', 'H2'), ('org.eclipse.jetty.', 'Jetty/Javalin'), ('io.javalin.', 'Jetty/Javalin'),
             ('jakarta.servlet.', 'Jetty/Javalin'), ('kotlin.', 'Jetty/Javalin'),
             ('com.fasterxml.jackson.', 'Jackson'), ('org.hibernate.validator.', 'Hibernate Validator'),
             ('jakarta.validation.', 'Hibernate Validator'), ('org.jboss.logging', 'Hibernate Validator'),
             ('com.zaxxer.hikari.', 'HikariCP'), ('org.slf4j.', 'logging'), ('ch.qos.logback.', 'logging'),
             ('org.pf4j.', 'PF4J/plugin'), ('test.noop.', 'PF4J/plugin'), ('org.flywaydb.', 'Flyway'),
             ('picocli.', 'picocli'), ('org.postgresql.', 'PostgreSQL driver'), ('jdk.jfr.', 'JFR itself')]
    for p, a in pairs:
        if c.startswith(p):
            return a
    if c.startswith('com.helpdeskconnect.host.'):
        return 'ours: ' + c.split('.')[3]
    if c.startswith('com.helpdeskconnect.'):
        return 'ours: ' + c.split('.')[2]
    if c.startswith(('java.', 'javax.', 'jdk.', 'sun.', 'com.sun.')):
        return 'JDK'
    return 'other: ' + '.'.join(c.split('.')[:2])

def ts(e):
    return e['values']['startTime'][11:23]

sel = [e for e in ev if (not t0 or ts(e) >= t0) and (not t1 or ts(e) < t1)]
n = len(sel)
selfm, selfa, attra, ours, threads, lines, timeline = (collections.Counter() for _ in range(7))
trunc = 0
for e in sel:
    fr = e['values']['stackTrace']['frames']
    trunc += e['values']['stackTrace']['truncated']
    th = e['values']['sampledThread']['javaName'] or '?'
    threads[''.join(ch if not ch.isdigit() else '#' for ch in th)] += 1
    timeline[ts(e)[:8]] += 1
    if not fr:
        continue
    top = fr[0]['method']
    cls = top['type']['name']
    selfm[cls.replace('/', '.') + '.' + top['name']] += 1
    selfa[area(cls)] += 1
    # attribute JDK frames to the first non-JDK caller
    a = 'JDK'
    for f in fr:
        a = area(f['method']['type']['name'])
        if a != 'JDK':
            break
    attra[a] += 1
    # topmost frame of our own code on the stack (inclusive): which of our classes led to this sample
    for f in fr:
        c = f['method']['type']['name'].replace('/', '.')
        if c.startswith('com.helpdeskconnect.'):
            ours[c.replace('com.helpdeskconnect.host.', '') + '.' + f['method']['name'] + ':' + str(f['lineNumber'])] += 1
            break
    else:
        ours['(no frame of ours)'] += 1

def show(title, counter, k=25):
    print(f'\n== {title} ({n} samples)')
    for key, v in counter.most_common(k):
        print(f'{v:6d} {100.0 * v / n:5.1f}%  {key}')

print(f'samples {n} (of {len(ev)}), truncated stacks {trunc}')
if '-t' in sys.argv:
    print('\n== timeline (samples per second)')
    for second, v in sorted(timeline.items()):
        print(f'{v:6d}  {second}')
show('threads', threads, 15)
show('top 25 methods, self', selfm, 25)
show('area of the top frame (self)', selfa, 30)
show('area, JDK frames charged to their first non-JDK caller', attra, 30)

# our code, inclusive: our topmost method and the library call it made (a commit, a statement, ...)
by_entry, by_method, by_thread_entry = collections.Counter(), collections.Counter(), collections.Counter()
for e in sel:
    fr = e['values']['stackTrace']['frames']
    names = [(f['method']['type']['name'].replace('/', '.'), f['method']['name'], f['lineNumber']) for f in fr]
    ours = next((i for i, x in enumerate(names) if x[0].startswith('com.helpdeskconnect.')), None)
    th = ''.join(ch for ch in (e['values']['sampledThread']['javaName'] or '?') if not ch.isdigit())
    if ours is None:
        # no frame of ours: name the bottom-most library frame that is not a JDK thread frame
        lib = next((x for x in reversed(names) if not x[0].startswith(('java.', 'jdk.', 'sun.'))), names[-1] if names else ('?', '?', 0))
        key = '(library) ' + lib[0].rsplit('.', 1)[-1] + '.' + lib[1]
        by_method[key] += 1
        by_entry[key] += 1
        continue
    cls, m, line = names[ours]
    short = cls.replace('com.helpdeskconnect.host.', '')
    short = short.split('$$Lambda')[0]
    entry = names[ours - 1] if ours > 0 else ('(self)', '', 0)
    ent = entry[0].rsplit('.', 1)[-1] + '.' + entry[1]
    by_method[short + '.' + m.split('$')[1] if m.startswith('lambda$') else short + '.' + m] += 1
    by_entry[f'{short}.{m}:{line} -> {ent}'] += 1
for title, c, k in (('our method (inclusive)', by_method, 30), ('our frame:line -> callee', by_entry, 40)):
    print(f'\n== {title} ({n} samples)')
    for key, v in c.most_common(k):
        print(f'{v:6d} {100.0 * v / n:5.1f}%  {key}')

# commits by the transaction that made them (the caller of Database.inTransaction)
commits = collections.Counter()
for e in sel:
    fr = [(f['method']['type']['name'].replace('/', '.'), f['method']['name'], f['lineNumber']) for f in e['values']['stackTrace']['frames']]
    for i, (cls, m, _) in enumerate(fr):
        if cls.endswith('storage.Database') and m == 'inTransaction' and i > 0 and fr[i - 1][1] == 'commit':
            j = i + 1
            while j < len(fr) and ('Lambda' in fr[j][0] or fr[j][0].endswith('storage.Database')):
                j += 1
            commits[(fr[j][0].rsplit('.', 1)[-1] + '.' + fr[j][1] + ':' + str(fr[j][2])) if j < len(fr) else '?'] += 1
            break
print(f'\n== commits (Database.inTransaction) by caller ({n} samples)')
for key, v in commits.most_common(10):
    print(f'{v:6d} {100.0 * v / n:5.1f}%  {key}')
