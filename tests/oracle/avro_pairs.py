"""Deterministic generator of Avro reader/writer schema pairs for the oracle test.

Every pair is a dict {"reader": schema, "writer": schema, "case": name} plus
optional tags the test understands ("ambiguous": the reader has a field that
matches two writer fields, which Avro-Java rejects with an exception).

Coverage (compat.md §2.3 and combinations):
  - the rules-table rows A1-A27, both directions;
  - every primitive against every primitive, at the top, as a record field, as
    array items and map values (promotions and mismatches);
  - unions of every shape: union vs union (subset, superset, disjoint, reordered),
    union vs non-union both ways, unions of named types, nested in arrays/maps;
  - enums: symbol subsets with and without an enum default, renames, aliases;
  - named types: names, namespaces (attribute, dotted names, inherited), aliases
    full and relative, for record, enum and fixed; fixed sizes;
  - records: fields added/removed with and without defaults, renamed with and
    without aliases, reordered, nested records, reused named types;
  - recursion: linked lists, trees, mutual recursion, with changes inside;
  - random schemas (depth <= 3) and random chains of mutations of them.

All schemas are valid Avro (valid names, distinct union branches, defaults that
match their type), so both checkers parse them.
"""

import copy
import itertools
import random

PRIMS = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]
NO_DEFAULT = object()


# --- builders ---------------------------------------------------------------------


def rec(name, fields, ns=None, aliases=None, type_="record", **extra):
    s = {"type": type_, "name": name}
    if ns is not None:
        s["namespace"] = ns
    if aliases is not None:
        s["aliases"] = aliases
    s["fields"] = fields
    s.update(extra)
    return s


def fld(name, type_, default=NO_DEFAULT, aliases=None, **extra):
    f = {"name": name, "type": type_}
    if default is not NO_DEFAULT:
        f["default"] = default
    if aliases is not None:
        f["aliases"] = aliases
    f.update(extra)
    return f


def enum(name, symbols, default=None, ns=None, aliases=None):
    s = {"type": "enum", "name": name}
    if ns is not None:
        s["namespace"] = ns
    if aliases is not None:
        s["aliases"] = aliases
    s["symbols"] = list(symbols)
    if default is not None:
        s["default"] = default
    return s


def fixed(name, size, ns=None, aliases=None):
    s = {"type": "fixed", "name": name, "size": size}
    if ns is not None:
        s["namespace"] = ns
    if aliases is not None:
        s["aliases"] = aliases
    return s


def arr(items):
    return {"type": "array", "items": items}


def mp(values):
    return {"type": "map", "values": values}


def R(*fields, name="R", ns="ns"):
    return rec(name, list(fields), ns=ns)


def default_for(t):
    """A valid default for type t, or NO_DEFAULT when none is easy to build
    (references to named types by name)."""
    if isinstance(t, list):
        return default_for(t[0]) if t else NO_DEFAULT
    if isinstance(t, str):
        return {
            "null": None, "boolean": False, "int": 0, "long": 0, "float": 0.0,
            "double": 0.0, "bytes": "", "string": "",
        }.get(t, NO_DEFAULT)
    kind = t["type"]
    if kind in PRIMS:
        return default_for(kind)
    if kind == "enum":
        return t["symbols"][0]
    if kind == "fixed":
        return "x" * t["size"]
    if kind == "array":
        return []
    if kind == "map":
        return {}
    if kind in ("record", "error"):
        out = {}
        for f in t["fields"]:
            d = f.get("default", NO_DEFAULT)
            if d is NO_DEFAULT:
                d = default_for(f["type"])
            if d is NO_DEFAULT:
                return NO_DEFAULT
            out[f["name"]] = d
        return out
    return NO_DEFAULT


# --- pair collection ------------------------------------------------------------------


class Pairs:
    def __init__(self):
        self.items = []

    def add(self, case, reader, writer, **tags):
        p = {"case": case, "reader": copy.deepcopy(reader), "writer": copy.deepcopy(writer)}
        p.update(tags)
        self.items.append(p)

    def both(self, case, old, new, **tags):
        """BACKWARD (reader new, writer old) and FORWARD (reader old, writer new)."""
        self.add(case + " [B]", new, old, **tags)
        self.add(case + " [F]", old, new, **tags)


# --- systematic categories ---------------------------------------------------------------


def rules_table(P):
    a = fld("a", "int")
    P.both("A1 add field with default", R(a), R(a, fld("b", "string", "x")))
    P.both("A2 add field without default", R(a), R(a, fld("b", "string")))
    P.both("A3 remove field with default", R(a, fld("b", "string", "x")), R(a))
    P.both("A4 remove field without default", R(a, fld("b", "string")), R(a))
    P.both("A5 change default", R(fld("a", "int", 1)), R(fld("a", "int", 2)))
    P.both("A5 add default", R(a), R(fld("a", "int", 0)))
    P.both("A6 rename with alias", R(a), R(fld("b", "int", aliases=["a"])))
    P.both("A6 rename with alias, old default", R(fld("a", "int", 0)), R(fld("b", "int", aliases=["a"])))
    P.both("A7 rename without alias", R(a), R(fld("b", "int")))
    P.both("A7 rename, new default", R(a), R(fld("b", "int", 0)))
    P.both("A8 reorder", R(a, fld("b", "string")), R(fld("b", "string"), a))
    P.both("A11 string/bytes", R(fld("a", "string")), R(fld("a", "bytes")))
    P.both("A12 record/map", R(fld("a", rec("X", []))), R(fld("a", mp("int"))))
    P.both("A12 array/map", arr("int"), mp("int"))
    P.both("A12 enum/string", R(fld("a", enum("E", "AB"))), R(fld("a", "string")))
    P.both("A12 fixed/bytes", fixed("F", 4), "bytes")
    P.both("A13 T -> union", R(fld("a", "string")), R(fld("a", ["null", "string"])))
    P.both("A15 add branch", R(fld("a", ["null", "string"])), R(fld("a", ["null", "string", "int"])))
    P.both("A17 reorder branches", R(fld("a", ["null", "string"])), R(fld("a", ["string", "null"])))
    P.both("A18 enum add symbol", R(fld("a", enum("E", "AB"))), R(fld("a", enum("E", "ABC"))))
    P.both("A18 enum add symbol, old default", R(fld("a", enum("E", "AB", "A"))), R(fld("a", enum("E", "ABC"))))
    P.both("A19 enum remove, new default", R(fld("a", enum("E", "ABC"))), R(fld("a", enum("E", "AB", "B"))))
    P.both("A20 enum default toggle", R(fld("a", enum("E", "AB"))), R(fld("a", enum("E", "AB", "A"))))
    P.both("A21 rename record", R(a), R(a, name="S"))
    P.both("A22 rename with alias", R(a), rec("S", [a], ns="ns", aliases=["ns.R"]))
    P.both("A22 rename with relative alias", R(a), rec("S", [a], ns="ns", aliases=["R"]))
    P.both("A23 namespace only", R(a), R(a, ns="other"))
    P.both("A24 fixed size", R(fld("a", fixed("F", 4))), R(fld("a", fixed("F", 8))))
    P.both("A25 array items", R(fld("a", arr("int"))), R(fld("a", arr("long"))))
    P.both("A25 map values", R(fld("a", mp("int"))), R(fld("a", mp("string"))))
    P.both("A26 props", R(a), rec("R", [fld("a", {"type": "int", "logicalType": "date"}, doc="d",
                                                order="descending", x=1)], ns="ns", doc="r", y="z"))
    P.both("A26 decimal", R(fld("a", {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2})),
           R(fld("a", {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 1})))
    P.both("A27 record -> union", R(a), ["null", R(a)])
    P.both("A27 record -> single union", R(a), [R(a)])
    P.both("error vs record", rec("R", [a], type_="error"), R(a, ns=None))


def primitives(P):
    for r, w in itertools.product(PRIMS, PRIMS):
        P.add(f"prim {r}<-{w}", r, w)
        P.add(f"field {r}<-{w}", R(fld("a", r)), R(fld("a", w)))
        P.add(f"items {r}<-{w}", arr(r), arr(w))
        P.add(f"values {r}<-{w}", mp(r), mp(w))
    others = [rec("X", [fld("a", "int")]), enum("E", "AB"), fixed("F", 2), arr("int"), mp("int")]
    for p, o in itertools.product(PRIMS, others):
        P.both(f"prim {p} vs {o['type']}", p, o)
    for a, b in itertools.combinations(others, 2):
        P.both(f"complex {a['type']} vs {b['type']}", a, b)
    P.both("wrapped primitive", {"type": "int"}, "int")
    P.both("logical long", {"type": "long", "logicalType": "timestamp-millis"}, "int")


UNION_POOL = [
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
    rec("X", [fld("a", "int")]), rec("Y", [fld("b", "string")]), enum("E", "AB"),
    fixed("F", 4), arr("int"), mp("string"), arr("long"),
]


def _union_ok(branches):
    """Avro forbids two unnamed branches of the same kind (two arrays, two maps,
    two ints...) and two named branches with the same name."""
    keys = []
    for b in branches:
        if isinstance(b, str):
            keys.append(b)
        elif b["type"] in PRIMS or b["type"] in ("array", "map"):
            keys.append(b["type"])
        else:
            keys.append("named:" + b["name"])
    return len(keys) == len(set(keys))


def unions(P, rng):
    pool_idx = list(range(len(UNION_POOL)))
    made = 0
    while made < 220:
        r = [UNION_POOL[i] for i in rng.sample(pool_idx, rng.randint(1, 4))]
        w = [UNION_POOL[i] for i in rng.sample(pool_idx, rng.randint(1, 4))]
        if not (_union_ok(r) and _union_ok(w)):
            continue
        P.add(f"union {made}", r, w)
        made += 1
    for t in UNION_POOL:
        for n in range(3):
            u = [UNION_POOL[i] for i in rng.sample(pool_idx, rng.randint(1, 3))]
            if not _union_ok(u):
                continue
            P.both(f"union vs {t if isinstance(t, str) else t['type']} #{n}", t, u)
    # subsets / supersets / reorder of one union
    base = ["null", "int", "string", rec("X", [fld("a", "int")]), enum("E", "AB")]
    for k in range(1, len(base)):
        for sub in itertools.combinations(base, k):
            P.both(f"union subset {k}", list(sub), base)
    P.both("union reversed", base, list(reversed(base)))
    # unions inside containers and fields, with named-type changes inside
    P.both("union in array", arr(["null", "int"]), arr(["null", "long"]))
    P.both("union in map", mp(["null", rec("X", [fld("a", "int")])]),
           mp(["null", rec("X", [fld("a", "int"), fld("b", "int")])]))
    P.both("union of records, field added",
           R(fld("u", [rec("X", [fld("a", "int")]), rec("Y", [fld("b", "int")])])),
           R(fld("u", [rec("X", [fld("a", "int")]), rec("Y", [fld("b", "int"), fld("c", "int")])])))
    P.both("union of renamed record",
           R(fld("u", ["null", rec("X", [fld("a", "int")])])),
           R(fld("u", ["null", rec("Z", [fld("a", "int")])])))
    P.both("union of renamed record with alias",
           R(fld("u", ["null", rec("X", [fld("a", "int")])])),
           R(fld("u", ["null", rec("Z", [fld("a", "int")], aliases=["X"])])))
    P.both("union of enums", ["null", enum("E", "AB")], ["null", enum("E", "ABC")])
    P.both("union of fixed", ["null", fixed("F", 4)], ["null", fixed("F", 5)])
    P.both("union promotion", ["null", "double"], ["null", "int", "float"])
    P.both("union field to nullable with default", R(fld("a", "int")), R(fld("a", ["null", "int"], None)))


def enums(P, rng):
    letters = "ABCD"
    sets = [s for k in range(1, 5) for s in itertools.combinations(letters, k)]
    n = 0
    for rs, ws in itertools.product(sets, sets):
        if rng.random() > 0.35:
            continue
        rdef = rng.choice([None, None, rs[0], rs[-1]])
        P.add(f"enum {''.join(rs)}<-{''.join(ws)} def={rdef}", enum("E", rs, rdef), enum("E", ws))
        n += 1
    P.both("enum in field with default", R(fld("e", enum("E", "AB"), "A")), R(fld("e", enum("E", "A"), "A")))
    P.both("enum renamed", enum("E", "AB"), enum("G", "AB"))
    P.both("enum renamed with alias", enum("E", "AB"), enum("G", "AB", aliases=["E"]))
    # a reader field absent from the writer, typed as an enum with an enum default
    P.both("missing field, enum default",
           R(fld("a", "int")), R(fld("a", "int"), fld("e", enum("E", "AB", "A"))))
    P.both("missing field, enum default and field default",
           R(fld("a", "int")), R(fld("a", "int"), fld("e", enum("E", "AB", "A"), "B")))


def named(P):
    kinds = {
        "record": lambda name, ns=None, aliases=None: rec(name, [fld("a", "int")], ns=ns, aliases=aliases),
        "enum": lambda name, ns=None, aliases=None: enum(name, "AB", ns=ns, aliases=aliases),
        "fixed": lambda name, ns=None, aliases=None: fixed(name, 4, ns=ns, aliases=aliases),
    }
    variants = [
        ("same", ("N", None, None), ("N", None, None)),
        ("renamed", ("N", "a", None), ("M", "a", None)),
        ("namespace changed", ("N", "a", None), ("N", "b", None)),
        ("namespace added", ("N", None, None), ("N", "b", None)),
        ("dotted name", ("N", "a", None), ("x.y.N", None, None)),
        ("dotted renamed", ("a.N", None, None), ("a.M", None, None)),
        ("alias full", ("N", "a", None), ("M", "a", ["a.N"])),
        ("alias relative", ("N", "a", None), ("M", "a", ["N"])),
        ("alias relative other ns", ("N", "b", None), ("M", "a", ["N"])),
        ("alias wrong namespace", ("N", "a", None), ("M", "a", ["b.N"])),
        ("alias no namespace", ("N", None, None), ("M", "a", ["N"])),
        ("alias dotted", ("N", "b", None), ("M", "a", ["b.N"])),
        ("alias, same name", ("N", "a", None), ("N", "b", ["c.N"])),
        ("aliases several", ("N", "q", None), ("M", "a", ["x.N", "q.N", "N"])),
    ]
    for kind, make in kinds.items():
        for label, o, n in variants:
            old = make(o[0], o[1], o[2])
            new = make(n[0], n[1], n[2])
            P.both(f"named {kind} {label}", old, new)
            P.both(f"named {kind} {label} (nested)", R(fld("f", old)), R(fld("f", new)))
    # namespace inheritance into nested types
    P.both("inherited namespace",
           rec("R", [fld("f", enum("E", "AB"))], ns="a"),
           rec("R", [fld("f", enum("E", "AB", aliases=["a.Z"]))], ns="b"))
    P.both("inherited namespace, relative alias resolves in the nested namespace",
           rec("R", [fld("f", enum("Old", "AB"))], ns="a"),
           rec("R", [fld("f", enum("New", "AB", aliases=["Old"]))], ns="a"))
    P.both("inherited namespace, relative alias in another namespace",
           rec("R", [fld("f", enum("Old", "AB"))], ns="a"),
           rec("R", [fld("f", enum("New", "AB", aliases=["Old"]))], ns="b"))
    for s1, s2 in [(1, 1), (4, 8), (16, 15), (0, 1), (8, 4)]:
        P.both(f"fixed {s1}/{s2}", fixed("F", s1), fixed("F", s2))
        P.both(f"fixed renamed {s1}/{s2}", fixed("F", s1), fixed("G", s2))
        P.both(f"fixed in array {s1}/{s2}", arr(fixed("F", s1)), arr(fixed("F", s2)))


def records(P):
    P.both("nested record field added",
           R(fld("n", rec("In", [fld("x", "int")]))),
           R(fld("n", rec("In", [fld("x", "int"), fld("y", "string")]))))
    P.both("nested record field added with default",
           R(fld("n", rec("In", [fld("x", "int")]))),
           R(fld("n", rec("In", [fld("x", "int"), fld("y", "string", "d")]))))
    P.both("deep nesting",
           R(fld("n", rec("A", [fld("m", rec("B", [fld("k", arr(mp("int")))]))]))),
           R(fld("n", rec("A", [fld("m", rec("B", [fld("k", arr(mp("long")))]))]))))
    P.both("several problems at once",
           R(fld("a", "int"), fld("b", "string"), fld("c", enum("E", "AB")), fld("d", fixed("F", 2))),
           R(fld("a", "string"), fld("c", enum("E", "ABC")), fld("d", fixed("F", 3)), fld("e", "int")))
    P.both("field alias chain",
           R(fld("a", "int"), fld("b", "long")),
           R(fld("c", "int", aliases=["a", "z"]), fld("d", "long", aliases=["b"])))
    P.both("alias for absent field, with default", R(fld("a", "int")), R(fld("c", "int", 0, aliases=["q"])))
    P.both("empty record", rec("R", []), rec("R", [fld("a", "int", 0)]))
    P.both("empty record vs field", rec("R", []), rec("R", [fld("a", "int")]))
    # reused named types: the same node at several places
    P.both("reused named type",
           R(fld("x", rec("P", [fld("v", "int")])), fld("y", "P"), fld("z", arr("P"))),
           R(fld("x", rec("P", [fld("v", "long")])), fld("y", "P"), fld("z", arr("P"))))
    P.both("reused named type, union and plain",
           R(fld("a", ["null", rec("X", [fld("v", "int")])]), fld("b", "X")),
           R(fld("a", rec("X", [fld("v", "string")])), fld("b", "X")))
    P.both("reused enum",
           R(fld("a", enum("E", "AB")), fld("b", "E"), fld("c", mp("E"))),
           R(fld("a", enum("E", "ABC")), fld("b", "E"), fld("c", mp("E"))))


def large(P, rng):
    """Records and enums big enough for the checker's sorted name lookups."""
    for k in range(12):
        n = rng.randint(16, 60)
        names = [f"f{i}" for i in range(n)]
        old = rec("Big", [fld(x, "int") for x in names])
        fields = []
        for x in names:
            roll = rng.random()
            if roll < 0.05:
                continue  # removed
            if roll < 0.1:
                fields.append(fld("r" + x, "int", aliases=[x]))
            elif roll < 0.13:
                fields.append(fld(x, "string"))
            elif roll < 0.16:
                fields.append(fld(x, "long"))
            else:
                fields.append(fld(x, "int"))
        for i in range(rng.randint(0, 3)):
            fields.append(fld(f"new{i}", "int", *([0] if rng.random() < 0.5 else [])))
        rng.shuffle(fields)
        P.both(f"large record #{k}", old, rec("Big", fields))
        syms = [f"S{i}" for i in range(n)]
        kept = [x for x in syms if rng.random() > 0.1] or syms[:1]
        extra = [f"T{i}" for i in range(rng.randint(0, 3))]
        new_syms = kept + extra
        rng.shuffle(new_syms)
        P.both(f"large enum #{k}", enum("E", syms), enum("E", new_syms, rng.choice([None, new_syms[0]])))


def ambiguous(P):
    """A reader field whose name and aliases hit two writer fields: Avro-Java throws
    (Confluent reports "Unexpected exception during compatibility check")."""
    P.add("ambiguous alias", R(fld("b", "int", aliases=["a"])), R(fld("a", "int"), fld("b", "int")),
          ambiguous=True)
    P.add("ambiguous two aliases", R(fld("c", "int", aliases=["a", "b"])), R(fld("a", "int"), fld("b", "int")),
          ambiguous=True)
    # not ambiguous: Java keeps a field's aliases in a set
    P.add("repeated alias", R(fld("c", "int", aliases=["a", "a"])), R(fld("a", "int")))
    P.add("ambiguous alias = own name", R(fld("a", "int", aliases=["a"])), R(fld("a", "int")),
          ambiguous=True)
    P.add("ambiguous nested", R(fld("n", rec("In", [fld("b", "int", aliases=["a"])]))),
          R(fld("n", rec("In", [fld("a", "int"), fld("b", "int")]))), ambiguous=True)
    many = [fld(f"f{i}", "int") for i in range(30)]
    P.add("ambiguous in a large record", rec("Big", [fld("f3", "int", aliases=["f20"])]), rec("Big", many),
          ambiguous=True)


def recursion(P):
    def ll(vt, name="LongList", extra=()):
        return rec(name, [fld("value", vt), fld("next", ["null", name])] + list(extra))

    for a, b in itertools.product(["int", "long", "string", "double"], repeat=2):
        P.add(f"linked list {a}<-{b}", ll(a), ll(b))
    P.both("linked list field added", ll("long"), ll("long", extra=[fld("tag", "string")]))
    P.both("linked list field added with default", ll("long"), ll("long", extra=[fld("tag", "string", "")]))
    P.both("linked list renamed", ll("long"), ll("long", name="List2"))

    def tree(container, leaf="int"):
        return rec("Node", [
            fld("value", leaf),
            fld("kids", arr("Node") if container == "array" else mp("Node")),
            fld("tag", rec("Tag", [fld("owner", ["null", "Node"])])),
        ])

    for c1, c2 in itertools.product(["array", "map"], repeat=2):
        for l1, l2 in [("int", "int"), ("int", "long"), ("string", "bytes")]:
            P.both(f"tree {c1}/{c2} {l1}/{l2}", tree(c1, l1), tree(c2, l2))

    def mutual(a_extra=(), b_type="int"):
        return rec("A", [fld("b", ["null", rec("B", [fld("a", ["null", "A"]), fld("v", b_type)])])] + list(a_extra))

    P.both("mutual recursion", mutual(), mutual())
    P.both("mutual recursion, inner change", mutual(), mutual(b_type="long"))
    P.both("mutual recursion, outer field", mutual(), mutual(a_extra=[fld("z", "int")]))
    # recursion through a union at the top level
    P.both("recursive union top", ["null", ll("int")], ll("int"))

    # cycles of different lengths: records named L in namespaces a0..a(n-1), each
    # pointing to the next (names compare unqualified, so every pair matches by
    # name and the walk runs through p*q distinct (reader, writer) pairs)
    def cycle(n, leaf):
        def build(i):
            if i == n:
                return "a0.L"
            return rec("L", [fld("v", leaf), fld("next", ["null", build(i + 1)])], ns=f"a{i}")
        return build(0)

    for p, q in [(1, 2), (2, 3), (3, 5), (4, 6)]:
        for l1, l2 in [("int", "int"), ("int", "long"), ("long", "int")]:
            P.add(f"cycles {p}/{q} {l1}<-{l2}", cycle(p, l1), cycle(q, l2))


# --- random schemas and mutations ----------------------------------------------------------


class Namer:
    def __init__(self):
        self.n = 0

    def __call__(self, prefix):
        self.n += 1
        return f"{prefix}{self.n}"


def rand_type(rng, namer, depth, in_union=False):
    choices = ["prim"] * 5
    if depth > 0:
        choices += ["record", "record", "enum", "fixed", "array", "map"]
        if not in_union:
            choices += ["union", "union"]
    kind = rng.choice(choices)
    if kind == "prim":
        p = rng.choice(PRIMS)
        if rng.random() < 0.1 and p in ("int", "long"):
            return {"type": p, "logicalType": "date" if p == "int" else "timestamp-millis"}
        return p
    if kind == "record":
        fields = []
        for _ in range(rng.randint(0, 4)):
            t = rand_type(rng, namer, depth - 1)
            f = fld(namer("f"), t)
            if rng.random() < 0.3:
                d = default_for(t)
                if d is not NO_DEFAULT:
                    f["default"] = d
            fields.append(f)
        ns = rng.choice([None, None, "ns", "other.ns"])
        return rec(namer("Rec"), fields, ns=ns)
    if kind == "enum":
        syms = rng.sample(list("ABCDEF"), rng.randint(1, 4))
        return enum(namer("Enum"), syms, rng.choice([None, None, syms[0]]))
    if kind == "fixed":
        return fixed(namer("Fix"), rng.randint(1, 16))
    if kind == "array":
        return arr(rand_type(rng, namer, depth - 1))
    if kind == "map":
        return mp(rand_type(rng, namer, depth - 1))
    while True:
        branches = [rand_type(rng, namer, depth - 1, in_union=True) for _ in range(rng.randint(1, 4))]
        if _union_ok(branches):
            return branches


def _nodes(t, out, parent=None, key=None, in_union=False):
    """Every (container, key, node, in_union) position in t, for mutation."""
    out.append((parent, key, t, in_union))
    if isinstance(t, list):
        for i, b in enumerate(t):
            _nodes(b, out, t, i, True)
    elif isinstance(t, dict):
        k = t["type"]
        if k in ("record", "error"):
            for f in t["fields"]:
                _nodes(f["type"], out, f, "type", False)
        elif k == "array":
            _nodes(t["items"], out, t, "items", False)
        elif k == "map":
            _nodes(t["values"], out, t, "values", False)
    return out


def _replace(root, parent, key, new):
    if parent is None:
        return new
    parent[key] = new
    return root


def mutate(rng, namer, schema):
    """One random change somewhere in a deep copy of schema."""
    s = copy.deepcopy(schema)
    parent, key, node, in_union = rng.choice(_nodes(s, []))
    ops = []
    if isinstance(node, str) or (isinstance(node, dict) and node["type"] in PRIMS):
        ops += ["prim", "prim", "wrap_union"]
    if isinstance(node, dict):
        k = node["type"]
        if k == "record":
            ops += ["add_field", "add_field_default", "remove_field", "rename_field", "rename_field_alias",
                    "toggle_default", "reorder", "rename_type", "rename_type_alias", "namespace", "doc"]
        elif k == "enum":
            ops += ["add_symbol", "remove_symbol", "toggle_enum_default", "rename_type", "rename_type_alias"]
        elif k == "fixed":
            ops += ["size", "rename_type", "rename_type_alias"]
        elif k in ("array", "map"):
            ops += ["swap_container", "wrap_union"]
        if k in ("record", "enum", "fixed"):
            ops.append("wrap_union")
    if isinstance(node, list):
        ops += ["add_branch", "remove_branch", "reorder_branches", "collapse_union"]
    op = rng.choice(ops)
    if in_union and op == "wrap_union":
        return s  # a union cannot be a union branch

    if op == "prim":
        cands = [p for p in PRIMS if p != node]
        new = rng.choice(cands)
        if in_union and not _union_ok([b for i, b in enumerate(parent) if i != key] + [new]):
            return s
        return _replace(s, parent, key, new)
    if op == "wrap_union":
        if node == "null" or (isinstance(node, dict) and node.get("type") == "null"):
            return s
        new = rng.choice([["null", node], [node, "null"], [node], [node, "string" if node != "string" else "int"]])
        return _replace(s, parent, key, new)
    if op in ("add_field", "add_field_default"):
        t = rand_type(rng, namer, 1)
        f = fld(namer("f"), t)
        d = default_for(t)
        if op == "add_field_default" and d is not NO_DEFAULT:
            f["default"] = d
        node["fields"].insert(rng.randint(0, len(node["fields"])), f)
        return s
    if op == "remove_field" and node["fields"]:
        node["fields"].pop(rng.randrange(len(node["fields"])))
        return s
    if op in ("rename_field", "rename_field_alias") and node["fields"]:
        f = rng.choice(node["fields"])
        old = f["name"]
        f["name"] = namer("g")
        if op == "rename_field_alias":
            f["aliases"] = [old]
        return s
    if op == "toggle_default" and node["fields"]:
        f = rng.choice(node["fields"])
        if "default" in f:
            del f["default"]
        else:
            d = default_for(f["type"])
            if d is not NO_DEFAULT:
                f["default"] = d
        return s
    if op == "reorder":
        rng.shuffle(node["fields"])
        return s
    if op in ("rename_type", "rename_type_alias"):
        old_full = node["name"] if "namespace" not in node else node["namespace"] + "." + node["name"]
        node["name"] = namer(node["name"].rstrip("0123456789") + "X")
        if op == "rename_type_alias":
            node["aliases"] = [old_full]
        return s
    if op == "namespace":
        node["namespace"] = rng.choice(["ns", "ns2", "a.b.c"])
        return s
    if op == "doc":
        node["doc"] = "changed"
        node["x-custom"] = rng.randint(0, 9)
        return s
    if op == "add_symbol":
        free = [c for c in "ABCDEFGH" if c not in node["symbols"]]
        if free:
            node["symbols"].insert(rng.randint(0, len(node["symbols"])), rng.choice(free))
        return s
    if op == "remove_symbol" and len(node["symbols"]) > 1:
        node["symbols"].pop(rng.randrange(len(node["symbols"])))
        if node.get("default") not in node["symbols"] and "default" in node:
            node["default"] = node["symbols"][0]
        return s
    if op == "toggle_enum_default":
        if "default" in node:
            del node["default"]
        else:
            node["default"] = rng.choice(node["symbols"])
        return s
    if op == "size":
        node["size"] = max(1, node["size"] + rng.choice([-2, -1, 1, 3]))
        return s
    if op == "swap_container":
        inner = node.get("items", node.get("values"))
        new = mp(inner) if node["type"] == "array" else arr(inner)
        if in_union and not _union_ok([b for i, b in enumerate(parent) if i != key] + [new]):
            return s
        return _replace(s, parent, key, new)
    if op == "add_branch":
        new = rand_type(rng, namer, 1, in_union=True)
        if _union_ok(node + [new]):
            node.insert(rng.randint(0, len(node)), new)
        return s
    if op == "remove_branch" and len(node) > 1:
        node.pop(rng.randrange(len(node)))
        return s
    if op == "reorder_branches":
        rng.shuffle(node)
        return s
    if op == "collapse_union":
        return _replace(s, parent, key, rng.choice(node))
    return s


def fix_defaults(t):
    """After mutations: field defaults valid for their (possibly changed) types."""
    for _, _, node, _ in _nodes(t, []):
        if isinstance(node, dict) and node["type"] in ("record", "error"):
            for f in node["fields"]:
                if "default" in f:
                    d = default_for(f["type"])
                    if d is NO_DEFAULT:
                        del f["default"]
                    else:
                        f["default"] = d
    return t


def random_pairs(P, rng, n_schemas):
    for i in range(n_schemas):
        namer = Namer()
        base = rand_type(rng, namer, rng.randint(1, 3))
        new = base
        for _ in range(rng.randint(1, 3)):
            new = mutate(rng, namer, new)
        new = fix_defaults(new)
        P.both(f"random #{i}", base, new)


def generate():
    rng = random.Random(20260822)
    P = Pairs()
    rules_table(P)
    primitives(P)
    unions(P, rng)
    enums(P, rng)
    named(P)
    records(P)
    large(P, rng)
    ambiguous(P)
    recursion(P)
    random_pairs(P, rng, 450)
    return P.items
