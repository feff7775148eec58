#!/bin/sh
# Refresh the Chinese catalogue: extract strings, merge any *.po.part files (translations written in parallel
# work) ahead of what django.po had, compile, and list what is still untranslated or fuzzy.
set -e
WORK=$(mktemp -d)
cd "$(dirname "$0")/.."
DIR=smartcourt/locale/zh_Hans/LC_MESSAGES
.venv/bin/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --no-obsolete >/dev/null
PARTS=""
for part in $DIR/*.po.part; do
  [ -e "$part" ] || continue
  tmp="$WORK"/$(basename $part).po
  if grep -q '^msgid ""$' "$part" && grep -q 'charset' "$part"; then cp "$part" $tmp; else
    # The catalogue's own header, so that the merged file keeps it.
    sed -n '1,/^$/p' $DIR/django.po > $tmp
    cat "$part" >> $tmp
  fi
  PARTS="$PARTS $tmp"
done
msgcat --use-first $PARTS $DIR/django.po -o "$WORK"/compendium.po
msgmerge --quiet --no-fuzzy-matching --no-wrap -o $DIR/django.po "$WORK"/compendium.po $DIR/django.po
msgfmt --check -o /dev/null $DIR/django.po
.venv/bin/python manage.py compilemessages -l zh_Hans >/dev/null
echo "untranslated:"; msgattrib --untranslated --no-wrap $DIR/django.po | grep '^msgid' | tail -n +2
echo "fuzzy:"; msgattrib --only-fuzzy --no-wrap $DIR/django.po | grep '^msgid' | tail -n +2
