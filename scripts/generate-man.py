#!/usr/bin/env python3
"""Writes wwctl's manual pages, git-style, from what the binary says about itself.

    scripts/generate-man.py DUMP REPL_HELP DATE VERSION OUT_DIR

DUMP is `wwctl --experimental-dump-help` (argument-parser's description of every command,
option and help text), REPL_HELP what `help` prints in the REPL (its own commands). The
pages: wwctl(1) with the command list, global options, configuration, environment,
files, exit status and the cron recipes; one page per command, named as git names them
(wwctl-cache-invalidate(1)), with the command's own exit status; wwctl-repl(1) with the
REPL's own commands, keys, history and completion. The prose that is only for the manual
(configuration, environment, exit status, …) is written here; everything about a command
comes from the binary, so a page never says other than `--help` does.

Pages are man(7), every character of the help rendered (`…` as \\[u2026]) and clean
under `man --warnings -l` (scripts/generate-docs.sh --check and tests/cli/test_docs.py
check both).
"""
import json
import re
import sys

dump_path, repl_help_path, date, version, out_dir = sys.argv[1:]
root = json.load(open(dump_path, encoding="utf-8"))["command"]
repl_help = open(repl_help_path, encoding="utf-8").read()


# ---------------------------------------------------------------- roff text

def escape(text):
    """Text as roff shows it: backslashes, hyphens of options, and every character
    beyond ASCII by its code point, so that nothing depends on the page's encoding."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\e")
        elif ch == "-":
            out.append("\\-")
        elif ord(ch) > 126:
            out.append("\\[u%04X]" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def line(text):
    """A text line: one starting with a control character is protected."""
    text = escape(text)
    if text.startswith(".") or text.startswith("'"):
        text = "\\&" + text
    return text


def bold(text):
    return "\\fB" + escape(text) + "\\fR"


def italic(text):
    return "\\fI" + escape(text) + "\\fR"


def prose(text):
    """A help text: paragraphs at blank lines, and runs of indented lines (examples,
    lists) kept as they are, in a display."""
    out, display = [], False
    for raw in text.split("\n"):
        indented = raw.startswith("  ")
        if indented and not display:
            out += [".RS 4", ".nf"]
            display = True
        elif not indented and display:
            out += [".fi", ".RE"]
            display = False
        if display:
            out.append(line(raw[2:]))
        elif raw.strip() == "":
            out.append(".PP")
        else:
            out.append(line(raw))
    if display:
        out += [".fi", ".RE"]
    while out and out[-1] == ".PP":
        out.pop()
    # No paragraph break right before or after a display.
    cleaned = []
    for item in out:
        if item == ".PP" and cleaned and cleaned[-1] == ".PP":
            continue
        cleaned.append(item)
    return cleaned


# ---------------------------------------------------------------- the command tree

def page_name(path):
    return "-".join(path)


def is_global(argument):
    return argument.get("sectionTitle") == "Global options"


def shown(argument):
    name = argument.get("preferredName", {}).get("name")
    return argument.get("shouldDisplay", True) and name not in ("help", "version")


def spelling(name):
    return ("-" if name["kind"] == "short" else "--") + name["name"]


def option_term(argument):
    names = ", ".join(bold(spelling(n)) for n in argument.get("names", []))
    if argument["kind"] == "positional":
        term = italic(argument["valueName"].upper())
    elif argument["kind"] == "flag":
        term = names
    else:
        term = names + " " + italic(argument["valueName"])
    if argument.get("isRepeating"):
        term += "\\[u2026]"
    return term


def option_items(arguments):
    out = []
    for argument in arguments:
        out += [".TP", option_term(argument)]
        text = argument.get("abstract", "")
        if argument.get("defaultValue") and "default" not in text.lower():
            text += " (default: %s)" % argument["defaultValue"]
        if argument.get("allValues") and argument["kind"] != "flag" and "|" not in argument["valueName"]:
            text += " Values: %s." % ", ".join(argument["allValues"])
        out += prose(text) if text else []
        if argument.get("discussion"):
            out += [".IP"] + prose(argument["discussion"])
    return out


def synopsis(path, command):
    words = [bold(" ".join(path))]
    if command.get("subcommands"):
        words.append(italic("COMMAND"))
    for argument in command.get("arguments", []):
        if not shown(argument) or is_global(argument):
            continue
        term = option_term(argument)
        words.append(term if argument["kind"] == "positional" and not argument.get("isOptional") else "[" + term + "]")
    words.append("[" + italic("global options") + "]")
    return ['.SY "%s"' % escape(" ".join(path)), " ".join(words[1:]), ".YS"]


def leaves(command, path):
    for sub in command.get("subcommands", []):
        if not sub.get("shouldDisplay", True) or sub["commandName"] == "help":
            continue
        sub_path = path + [sub["commandName"]]
        yield sub_path, sub
        yield from leaves(sub, sub_path)


# ---------------------------------------------------------------- exit status

SERVER_FREE = {("wwctl", "config", "show"), ("wwctl", "cache", "families")}
NEGATIVE = {
    ("wwctl", "perms", "check"): "the permission is denied",
    ("wwctl", "perms", "audit"): "stale cached answers were found (and are left, without --fix)",
    ("wwctl", "cache", "lint"): "the lint found errors",
    ("wwctl", "cache", "inspect"): "the key does not exist",
    ("wwctl", "db", "status"): "migrations are pending",
    ("wwctl", "tokens", "check"): "the token is revoked or expired",
}
TEMPORARY = {
    ("wwctl", "cache", "warm"): "another warm holds the lock, or concurrent changes left keys unwarmed (run it again)",
    ("wwctl", "db", "migrate"): "another migration holds the lock",
    ("wwctl", "db", "seed"): "another seed holds the lock",
    ("wwctl", "payouts", "run"): "another payout run holds the lock",
}


def exit_items(codes):
    out = []
    for code, meaning in codes:
        out += [".TP", bold(str(code))] + prose(meaning)
    return out


def exit_status(path):
    key = tuple(path)
    if key == ("wwctl", "health"):
        return exit_items([
            (0, "OK: every check passed."), (1, "WARNING: a threshold was crossed."),
            (2, "CRITICAL: a server is unreachable or a critical threshold was crossed."),
            (3, "UNKNOWN: the check could not be made (bad options, an internal error)."),
        ])
    codes = [(0, "Success.")]
    if key in NEGATIVE:
        codes.append((1, "A negative answer: %s." % NEGATIVE[key]))
    codes.append((64, "Usage: an unknown option, a malformed argument, an unknown profile, a destructive "
                      "change without --yes and without a terminal. Nothing was changed."))
    if key in SERVER_FREE:
        codes.append((70, "Internal error."))
        return exit_items(codes)
    codes += [
        (65, "Bad input data: an unknown org, user, product or role, a value out of range. Nothing was changed."),
        (69, "A server is unavailable: refused, timed out, a wrong password, a TLS certificate refused."),
        (70, "Internal error: a bug or an unexpected answer from a server."),
        (75, "Temporary failure: " + TEMPORARY.get(key, "a server busy or loading, a lock wait past the timeout") + "."),
        (77, "Permission denied by the server (Redis NOPERM, PostgreSQL insufficient_privilege)."),
        (130, "Interrupted by Ctrl-C, after reporting what was done (143 for SIGTERM, 129 for SIGHUP)."),
    ]
    return exit_items(codes)


# ---------------------------------------------------------------- pages

def header(path, abstract):
    name = page_name(path)
    return [
        '.TH "%s" "1" "%s" "wwctl %s" "wwctl Manual"' % (escape(name.upper()), date, escape(version)),
        ".SH NAME",
        # The page's name as lexgrog (whatis, apropos) reads it: name \- summary.
        name + " \\- " + escape(abstract.rstrip(".")),
    ]


def see_also(names):
    items = ["\\fB%s\\fR(1)" % escape(n) for n in names]
    return [".SH SEE ALSO", ",\n".join(items)]


def command_page(path, command, parent_path):
    out = header(path, command.get("abstract", ""))
    out += [".SH SYNOPSIS"] + synopsis(path, command)
    out += [".SH DESCRIPTION"] + prose(command.get("abstract", ""))
    if command.get("discussion"):
        out += [".PP"] + prose(command["discussion"])
    subs = [s for s in command.get("subcommands", []) if s.get("shouldDisplay", True)]
    if subs:
        out.append(".SH COMMANDS")
        for sub in subs:
            out += [".TP", "\\fB%s\\fR(1)" % escape(page_name(path + [sub["commandName"]]))]
            out += prose(sub.get("abstract", ""))
    own = [a for a in command.get("arguments", []) if shown(a) and not is_global(a)]
    positionals = [a for a in own if a["kind"] == "positional"]
    options = [a for a in own if a["kind"] != "positional"]
    if positionals:
        out += [".SH ARGUMENTS"] + option_items(positionals)
    if options:
        out += [".SH OPTIONS"] + option_items(options)
    out += [".SH GLOBAL OPTIONS",
            line("The global options of wwctl(1) (--profile, --redis-url, --database-url, -o, -q, -v, "
                 "--yes, --timeout, the Redis TLS and Sentinel options), before or after the command.")]
    out += [".SH EXIT STATUS"] + exit_status(path)
    related = ["wwctl"] + ([page_name(parent_path)] if len(parent_path) > 1 else [])
    if subs:
        related += [page_name(path + [s["commandName"]]) for s in subs]
    out += see_also(related)
    return out


CONFIGURATION = """\
Profiles live in a JSON file: $WWCTL_CONFIG, else $XDG_CONFIG_HOME/wwctl/config.json, else ~/.config/wwctl/config.json. A profile holds redisUrl (or sentinels and master), databaseUrl, keyPrefix, timeout, production (which highlights the REPL prompt), prompt, and the Redis login and TLS settings (redisUser, passwordFile, tls, cacert, cacertdir, cert, key, sni, insecure, readFrom, replicaUrl); defaultProfile names the one used when none is named.

Each value comes from the first that has it:

  1. its flag (--redis-url, --key-prefix, --timeout, ...);
  2. a profile named explicitly: --profile NAME, or use NAME in the REPL;
  3. the environment (REDIS_URL, DATABASE_URL, WWCTL_KEY_PREFIX, ...);
  4. a profile chosen by default: $WWCTL_PROFILE, else the file's defaultProfile;
  5. the built-in default.

wwctl config show prints every value and where it came from (passwords masked)."""

ENVIRONMENT = [
    ("REDIS_URL", "The Redis to use, as --redis-url."),
    ("DATABASE_URL", "The PostgreSQL to use, as --database-url; without it (and without a profile's), libpq's PG* variables."),
    ("WWCTL_PROFILE", "The profile to use when none is named; it ranks as the file's defaultProfile, below the variables above."),
    ("WWCTL_CONFIG", "The config file, instead of $XDG_CONFIG_HOME/wwctl/config.json."),
    ("WWCTL_KEY_PREFIX", "As --key-prefix."),
    ("WWCTL_TIMEOUT", "As --timeout, in seconds."),
    ("REDISCLI_AUTH", "The Redis password, as redis-cli reads it."),
    ("WWCTL_REDIS_USER, WWCTL_REDIS_TLS, WWCTL_REDIS_CACERT, WWCTL_REDIS_CACERTDIR, WWCTL_REDIS_CERT, WWCTL_REDIS_KEY, "
     "WWCTL_REDIS_SNI, WWCTL_REDIS_INSECURE, WWCTL_REDIS_SENTINELS, WWCTL_REDIS_MASTER, WWCTL_READ_FROM, WWCTL_REPLICA_URL",
     "As the Redis options of the same names (WWCTL_REDIS_SENTINELS comma-separated)."),
    ("NO_COLOR", "When set and not empty: no colour, and no self-overwriting progress line (the summary still prints)."),
    ("TERM", "dumb, as NO_COLOR."),
    ("XDG_CONFIG_HOME, XDG_STATE_HOME, HOME", "Where the config file and the REPL history are."),
]

FILES = [
    ("$XDG_CONFIG_HOME/wwctl/config.json (~/.config/wwctl/config.json)", "Profiles; see CONFIGURATION."),
    ("$XDG_STATE_HOME/wwctl/history (~/.local/state/wwctl/history)",
     "The REPL's history, private to the user (0600 in a 0700 directory); lines holding a secret are not recorded."),
]

EXIT_TABLE = [
    (0, "Success."),
    (1, "A negative answer: denied by perms check, lint errors, a missing key in cache inspect, pending migrations in db status, "
        "a revoked or expired token in tokens check, stale entries left by perms audit."),
    (64, "Usage: an unknown command or option, a malformed argument, an unknown profile, a refused pattern, a destructive "
         "command without --yes and without a terminal."),
    (65, "Bad input data: an unknown org, user or role, a price out of range, an invalid period, a transition not allowed, "
         "a malformed token."),
    (69, "A server unavailable: refused, timed out, a wrong password, a TLS certificate refused, a failover under way."),
    (70, "Internal error: a bug or an unexpected server answer."),
    (75, "Temporary failure: another run holds the lock, a lock wait past the timeout, a server busy or loading, a cache warm "
         "left incomplete by concurrent changes (run it again)."),
    (77, "Permission denied by the server: Redis NOPERM (ACL), PostgreSQL insufficient_privilege (SQLSTATE 42501)."),
    (130, "Interrupted by Ctrl-C (SIGINT), after reporting what was done."),
    (143, "Terminated by SIGTERM."),
    (129, "Hung up (SIGHUP)."),
]

EXAMPLES = """\
Warm every family nightly; a second run while one works exits 75 (lock held) and touches nothing:

  15 3 * * *  wwctl --profile prod cache warm --ttl-jitter 0.1 -q -o json > /var/log/wwctl/warm.json || [ $? -eq 75 ]

After a deploy that changed the product JSON shape, drop the product families only:

  wwctl --profile prod cache invalidate --family product --yes -q

Metrics for node_exporter's textfile collector, written atomically:

  * * * * *  wwctl --profile prod metrics -o prometheus > /var/lib/node_exporter/wwctl.prom.$$ && mv /var/lib/node_exporter/wwctl.prom.$$ /var/lib/node_exporter/wwctl.prom

Health for Nagios/Icinga-style monitoring:

  wwctl --profile prod health --min-hit-rate 0.85 --max-memory-ratio 0.9 --timeout 3"""


def root_page():
    path = ["wwctl"]
    out = header(path, root.get("abstract", ""))
    out += [".SH SYNOPSIS", ".SY wwctl", "[" + italic("global options") + "] " + italic("COMMAND") + " [" + italic("args") + "]", ".YS",
            ".SY wwctl", "[" + italic("global options") + "]", ".YS"]
    out += [".SH DESCRIPTION"] + prose(root.get("abstract", ""))
    if root.get("discussion"):
        out += [".PP"] + prose(root["discussion"])
    out += [".SH COMMANDS"]
    for sub_path, sub in leaves(root, path):
        out += [".TP", "\\fB%s\\fR(1)" % escape(page_name(sub_path))] + prose(sub.get("abstract", ""))
    globals_ = [a for a in root["subcommands"][0].get("arguments", []) if is_global(a) and shown(a)]
    out += [".SH GLOBAL OPTIONS",
            line("Every command takes them, before the command (wwctl --profile prod cache warm) or after it, with the same meaning.")]
    out += option_items(globals_)
    out += [".TP", bold("--version")] + prose("Print the version, the commit and the run-time library versions.")
    out += [".TP", bold("-h") + ", " + bold("--help")] + prose("Help of wwctl or of the command before it.")
    out += [".SH CONFIGURATION"] + prose(CONFIGURATION)
    out.append(".SH ENVIRONMENT")
    for name, meaning in ENVIRONMENT:
        out += [".TP", bold(name)] + prose(meaning)
    out.append(".SH FILES")
    for name, meaning in FILES:
        out += [".TP", italic(name)] + prose(meaning)
    out += [".SH EXIT STATUS"] + exit_items(EXIT_TABLE)
    out += [".PP", line("health has its own codes, as monitoring systems expect: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.")]
    out += [".SH EXAMPLES"] + prose(EXAMPLES)
    out += see_also([page_name(p) for p, _ in leaves(root, path) if len(p) == 2] + ["redis-cli", "psql"])
    return out


REPL_KEYS = [
    ("Tab", "Complete a command, an option, a value (families, roles, profiles, permission resources and actions, user, "
            "org and session ids) or a key. Keys come from the keyspace registry first (fixed keys, literal parts), then "
            "from a SCAN bounded at 150 ms: a walk that did not finish never completes to one key on its own; Tab inserts "
            "the common prefix of what was found and the list ends with a line saying it is partial."),
    ("Ctrl-C", "Cancel the running command (a blocking raw command such as redis BLPOP x 0 at once, its connection "
               "replaced), or clear the line being typed. It never leaves the REPL."),
    ("Ctrl-D", "Leave the REPL (on an empty line)."),
    ("Up, Down", "Walk the history."),
    ("\\ at the end of a line", "Continue the command on the next line."),
]


def repl_page(command):
    path = ["wwctl", "repl"]
    out = command_page(path, command, ["wwctl"])
    see = out.index(".SH GLOBAL OPTIONS")
    extra = [".SH REPL COMMANDS", line("Besides every wwctl command (typed without wwctl), the REPL has its own:")]
    in_section = False
    for raw in repl_help.split("\n"):
        if raw.startswith("REPL commands:"):
            in_section = True
            continue
        if in_section and not raw.startswith("  "):
            break
        if in_section:
            usage, _, summary = raw.strip().partition("  ")
            extra += [".TP", bold(usage.strip())] + prose(summary.strip())
    extra.append(".SH KEYS")
    for key, meaning in REPL_KEYS:
        extra += [".TP", bold(key)] + prose(meaning)
    extra += [".SH HISTORY"] + prose(
        "Each line is appended to $XDG_STATE_HOME/wwctl/history (~/.local/state/wwctl/history) as it is entered, "
        "private to the user (0600 in a 0700 directory) and bounded; a line holding a password or a token is not recorded.")
    extra += [".SH SCRIPTS"] + prose(
        "With standard input not a terminal, the REPL runs it as a script, line by line: an error names the line "
        "(line 7: wwctl: ...) and ends the script with its status, unless --continue-on-error.")
    return out[:see] + extra + out[see:]


def write(name, lines):
    with open("%s/%s.1" % (out_dir, name), "w", encoding="ascii") as f:
        f.write("\n".join(lines) + "\n")


write("wwctl", root_page())
for sub_path, sub in leaves(root, ["wwctl"]):
    parent = sub_path[:-1]
    write(page_name(sub_path), repl_page(sub) if sub_path == ["wwctl", "repl"] else command_page(sub_path, sub, parent))
