#!/usr/bin/env python3
"""Every command the guides tell an admin to type is one our tests run, so the guides stay true.

For each command in the fenced blocks of docs/*.md: the program and its subcommand words (e.g.
`takeover group up`, `crm configure load update`) must appear in a line of a test, bench or
demo script, with every --option the guide uses on that line; packages the guide installs
must be among the ones the project installs (deps/*.txt); make targets must exist. Prints
each command no test runs, as FILE:LINE, and exits 1 if there is one.
"""
import glob
import os
import re
import shlex
import sys

SRC = os.environ.get("TAKEOVER_SRC") or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
# Where commands are run: test and bench scripts, the demo, the cluster harness, the hooks.
EVIDENCE = ["tests/**/*.sh", "tests/cluster/*", "tests/cluster/lib/*", "bench/*", "conf/**/*",
            "scripts/*.sh", ".ci/run"]
# Read-only shell built-ins and helpers a guide may show without a test running them.
NOT_COMMANDS = {"cd", "cat", "echo", "ls", "less", "man", "chmod", "mkdir", "cp", "install", "umask"}
# In a block without a language (a config file, or commands), a line is a command when it
# starts with one of these programs.
PROGRAMS = re.compile(r"^(takeover|lockctl|memexpd|fsmount|mfsmaster|mfsmetalogger|"
                      r"mfschunkserver|mfsmount|crm|crm_\w+|cibadmin|pcs|ucarp|keepalived|"
                      r"smbclient|ocf-tester|cl_status|hb_standby|make|apt|apt-get|dpkg)$")
SUBCOMMAND = re.compile(r"^[a-z][a-z_-]*$")


def logical_lines(text):
    """Lines with backslash continuations joined; yields (first line number, text)."""
    pending, start = "", 0
    for number, line in enumerate(text.splitlines(), 1):
        if not pending:
            start = number
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        yield start, pending + line
        pending = ""
    if pending:
        yield start, pending


def guide_commands(path):
    """(line number, command words) for every command in the file's fenced blocks: every line
    of a ```sh block, and lines that start with a known program in other blocks."""
    in_block = shell = False
    block = []
    with open(path) as f:
        lines = f.read().splitlines()
    for number, line in enumerate(lines, 1):
        fence = line.strip()
        if fence.startswith("```"):
            yield from flush(block)
            block = []
            if not in_block:
                shell = fence in ("```sh", "```bash", "```console")
            in_block = not in_block
            continue
        if in_block and (shell or PROGRAMS.match(first_word(line)) or
                         (block and block[-1][1].rstrip().endswith("\\"))):
            block.append((number, line))
        elif in_block and block:
            yield from flush(block)
            block = []


def first_word(line):
    words = line.split()
    return os.path.basename(words[0]) if words else ""


def flush(block):
    """The commands of consecutive command lines (numbered), continuations joined."""
    text = "\n".join(l for _, l in block)
    for offset, cmd in logical_lines(text):
        yield from split_pipeline(block[offset - 1][0], cmd)


def split_pipeline(number, line):
    line = re.sub(r"(^|\s)#.*$", "", line).strip()  # a comment
    if not line:
        return
    for part in re.split(r"\s*(?:&&|\|\||\||;)\s*", line):
        part = part.strip("()")  # a subshell: `(umask 077; head ... > key)`
        try:
            words = shlex.split(part)
        except ValueError:
            words = part.split()
        while words and re.match(r"^[A-Z_]+=", words[0]):  # VAR=value prefixes
            words.pop(0)
        if words:
            yield number, words


def verb_and_options(words):
    program = os.path.basename(words[0])
    verb = [program]
    after_option = False
    for w in words[1:]:
        if len(verb) == 3 or w == "--":
            break
        if w.startswith("-"):  # options may come before the subcommand: `lockctl --config F status`
            # A short option takes the next word as its value (`-r vip`); a long one only
            # when that word cannot be a subcommand (`--config /etc/F`).
            after_option = "short" if re.match(r"^-[A-Za-z]$", w) else "=" not in w and "long"
            continue
        if after_option == "short" or (after_option and not SUBCOMMAND.match(w)):
            after_option = False  # the option's value
            continue
        if not SUBCOMMAND.match(w):
            break
        after_option = False
        verb.append(w)
    options = sorted({w.split("=")[0] for w in words[1:] if w.startswith("--") and w != "--"})
    return verb, options


# Tests call programs through small wrappers (`chk() { "$bin" check --ha-cf X "$@"; }`,
# `pcmk_crm() { local n=$1; shift; pcmk_exec "$n" timeout 60 crm "$@"; }`): a call of a
# wrapper is read as its body with the arguments in place of "$@", after the ones it shifts.
WRAPPER = re.compile(r"^\s*(\w+)\(\)\s*\{\s*(.*?)[;\s]*\}\s*$")
ASSIGNMENT = re.compile(r"^\s*(?:local\s+)?(\w+)=(\S+)\s*$")


def wrapper_of(body):
    """(words consumed, body before the arguments, body after) for a wrapper's body."""
    m = re.search(r'"\$@"|\$@|"\$\{@:2\}"', body)
    if not m:
        return None
    consumed = 1 if "${@:2}" in m.group(0) else body.count("shift")
    body = re.sub(r"^local [^;]*;\s*|shift;\s*", "", body)
    m = re.search(r'"\$@"|\$@|"\$\{@:2\}"', body)
    return consumed, body[:m.start()], body[m.end():]


def substitute(line, variables):
    for name, value in variables.items():
        line = re.sub(r"\$\{?" + name + r"\b\}?", value, line)
    return line


def expand(line, wrappers, variables):
    # Variables first (a wrapper's name after "$bin" is a subcommand), and again in the bodies.
    line = substitute(line, variables)
    for _ in range(3):  # wrappers of wrappers
        for name, (consumed, before, after) in wrappers.items():
            m = re.search(r"(^|[\s;(&|])" + name + r"((?:\s+\S+)*)", line)
            if not m or name not in line:
                continue
            before_words = line[:m.start(2) - len(name)].split()
            if before_words and PROGRAMS.match(os.path.basename(before_words[-1].strip('"'))):
                continue  # a subcommand of that program (`takeover group`), not the wrapper
            args = m.group(2).split()[consumed:]
            line = substitute(line[:m.start(2) - len(name)] + before + " ".join(args) + after,
                              variables)
    return line


def evidence_lines():
    texts = []
    for pattern in EVIDENCE:
        for path in glob.glob(os.path.join(SRC, pattern), recursive=True):
            if not os.path.isfile(path):
                continue
            try:
                with open(path) as f:
                    texts.append(f.read())
            except UnicodeDecodeError:
                continue
    wrappers = {}
    for text in texts:
        for line in text.splitlines():
            m = WRAPPER.match(line)
            if m and (w := wrapper_of(m.group(2))):
                wrappers[m.group(1)] = w
    lines = []
    for text in texts:
        variables = {m.group(1): m.group(2).strip('"') for m in map(ASSIGNMENT.match, text.splitlines()) if m}
        for _, line in logical_lines(text):
            lines.append(expand(line, wrappers, variables).replace('"', "").replace("'", ""))
    return lines


def exercised(verb, options, lines):
    # The program, as a word or the end of a path ($BUILD/bin/takeover), then its subcommands.
    # Options (with a value each) may come between them: wrappers put theirs first.
    between = r"(?:\s+-\S+(?:\s+[^\s-]\S*)?)*\s+"
    head = re.compile(r"(^|[\s/(])" + between.join(re.escape(w) for w in verb) + r"(\s|$|\))")
    for line in lines:
        if head.search(line) and all(re.search(re.escape(o) + r"(\s|=|$)", line) for o in options):
            return True
    return False


def packages_installed():
    names = set()
    for path in glob.glob(os.path.join(SRC, "deps", "*.txt")):
        with open(path) as f:
            names.update(l.split("#")[0].strip() for l in f if l.split("#")[0].strip())
    return names


def make_targets():
    with open(os.path.join(SRC, "Makefile")) as f:
        return set(re.findall(r"^([a-z][a-z-]*):", f.read(), re.M))


def check(guide, lines, packages, targets):
    problems = []
    for number, words in guide_commands(guide):
        where = f"{os.path.relpath(guide, SRC)}:{number}: `{' '.join(words)}`"
        verb, options = verb_and_options(words)
        program = verb[0]
        if program in NOT_COMMANDS:
            continue
        if program in ("apt-get", "apt") and len(words) > 1 and words[1] == "install":
            for p in words[2:]:
                if not p.startswith("-") and "/" not in p and p not in packages:
                    problems.append(f"{where}: package {p} is not in deps/*.txt")
        elif program == "make":
            for t in words[1:]:
                if "=" not in t and not t.startswith("-") and t not in targets:
                    problems.append(f"{where}: no make target {t}")
        elif not exercised(verb, options, lines):
            what = " ".join(verb) + "".join(" " + o for o in options)
            problems.append(f"{where}: no test runs `{what}`")
    return problems


def main():
    guides = sys.argv[1:] or sorted(glob.glob(os.path.join(SRC, "docs", "*.md")))
    lines, packages, targets = evidence_lines(), packages_installed(), make_targets()
    problems, commands = [], 0
    for guide in guides:
        commands += sum(1 for _ in guide_commands(guide))
        problems += check(guide, lines, packages, targets)
    for p in problems:
        print(p)
    print(f"{commands} guide commands, {len(problems)} not exercised by a test")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
