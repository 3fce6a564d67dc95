#!/bin/sh
# Extracts every translatable string into po/atis.pot and merges it into
# each po/LANG.po (`make pot`).  Strings come from:
#   - C sources: N_("…") and _("…")
#   - templates: {{#_}}…{{/_}} sections (whitespace collapsed, as the
#     renderer does; see mustache_msgid() in src/base/mustache.h)
# Templates are turned into a C-like listing that xgettext reads, with
# each string's template file and line kept as a comment for translators.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for t in templates/*.mustache; do
	perl -0777 -ne '
		my $src = $_;
		while ($src =~ /\{\{#_\}\}(.*?)\{\{\/_\}\}/sg) {
			my $raw = $1;
			my $line = 1 + (substr($src, 0, $-[0]) =~ tr/\n//);
			(my $id = $raw) =~ s/\s+/ /g;
			$id =~ s/^ //; $id =~ s/ $//;
			$id =~ s/\\/\\\\/g; $id =~ s/"/\\"/g;
			print "/* TRANSLATORS: '"$t"':$line */ _(\"$id\");\n";
		}' "$t" >> "$tmp/templates.c"
done

xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
	--add-comments=TRANSLATORS: --sort-by-file --no-wrap \
	--package-name=ATIS --msgid-bugs-address=translators@atis.invalid \
	-o "$tmp/atis.pot" "$tmp/templates.c" $(find src -name '*.c' | sort)
# The listing's own name is noise in the references: drop it.
sed -e '/^#: .*templates\.c/d' "$tmp/atis.pot" > po/atis.pot

for po in po/*.po; do
	[ -f "$po" ] || continue
	msgmerge --quiet --update --backup=none --no-wrap --no-fuzzy-matching \
		"$po" po/atis.pot
	# Strings no longer used go, rather than pile up as #~ entries.
	msgattrib --no-obsolete --no-wrap -o "$po" "$po"
done
echo "po/atis.pot: $(grep -c '^msgid ' po/atis.pot) strings"
