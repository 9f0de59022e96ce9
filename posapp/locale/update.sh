#!/bin/sh
# The catalogs after words changed (posapp/i18n.py): extract the template, merge it into each
# language's .po, compile each .mo (committed beside its .po). Run from anywhere; translate
# the new (empty or fuzzy) msgids in each .po, then run it again to compile them.
set -eu
cd "$(dirname "$0")/../.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
"$PYBABEL" -q extract -F babel.cfg -c "i18n:" \
    --no-location --sort-output --project posapp --copyright-holder posapp \
    -o posapp/locale/posapp.pot posapp
for lang in de fr es; do
    po="posapp/locale/$lang/LC_MESSAGES/posapp.po"
    if [ -f "$po" ]; then
        "$PYBABEL" -q update -D posapp -i posapp/locale/posapp.pot -d posapp/locale -l "$lang" \
            --no-fuzzy-matching --ignore-obsolete
    else
        "$PYBABEL" -q init -D posapp -i posapp/locale/posapp.pot -d posapp/locale -l "$lang"
    fi
done
# The dates in the headers change at every run and would make every merge a conflict (the
# .mo too, which carries them): one fixed date; git knows when a file changed.
for file in posapp/locale/posapp.pot posapp/locale/*/LC_MESSAGES/posapp.po; do
    sed -i 's/^"POT-Creation-Date: .*"$/"POT-Creation-Date: 2026-01-01 00:00+0000\\n"/;
            s/^"PO-Revision-Date: .*"$/"PO-Revision-Date: 2026-01-01 00:00+0000\\n"/' "$file"
done
"$PYBABEL" -q compile -D posapp -d posapp/locale
