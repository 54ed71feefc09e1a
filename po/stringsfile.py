# SPDX-License-Identifier: GPL-3.0-or-later
# What po/catalog-strings.py and po/problem-strings.py share: quoting a
# text for C, and writing the generated file or, with --check, saying
# whether it is up to date (the po-complete test runs the check).


def c_string(text):
    return '"' + (text.replace("\\", "\\\\").replace('"', '\\"')
                  .replace("\n", "\\n").replace("\t", "\\t")) + '"'


def write_or_check(output, text, source, argv):
    """Write @text to @output, or with --check in @argv return 1 when
    @output differs from it (naming @source and the script to run)."""
    name = "po/" + output.replace("\\", "/").rsplit("/", 1)[-1]
    script = name[:-2] + ".py"
    if "--check" in argv:
        try:
            with open(output, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current != text:
            print("%s is out of date with %s: run %s" % (name, source, script))
            return 1
        print("%s is up to date" % name)
        return 0
    with open(output, "w", encoding="utf-8") as f:
        f.write(text)
    return 0
