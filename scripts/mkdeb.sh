#!/bin/sh
# mkdeb.sh — build/release/divebox_VERSION_DEBARCH.deb from the release
# binary build/release/divebox-ARCH (built first if missing), then lintian
# (no errors allowed). Called by scripts/release.sh --deb (make deb).
#
#   sh scripts/mkdeb.sh [DEBARCH...]    default: this machine's
#
# Layout (Debian's places):
#   /usr/bin/divebox            the static binary
#   /usr/sbin/dived             -> ../bin/divebox (dived(8): an admin's tool)
#   /usr/bin/justexec           -> divebox
#   /usr/bin/divebox-dive       -> divebox (the client; see NOTICE: "dive"
#                                  is another project's name too)
#   /usr/lib/divebox/bin/dive   -> the plain name, off PATH; /usr/bin/dive
#                                  via update-alternatives (priority 10)
#   /usr/share/man/man{1,8}/    divebox.1 divebox-dive.1 justexec.1 dived.8
#   /lib/systemd/system/        divebox-admin.{socket,service} (not enabled)
#   /usr/share/doc/divebox/     copyright, changelog.gz, NOTICE,
#                               README.md, examples/ (OpenRC, s6/runit)
#   /usr/share/lintian/overrides/divebox   static by design
set -eu
me=mkdeb
. "$(dirname "$0")/release-common.sh"
MAINT="divebox developers <divebox@lists.divebox.invalid>"
command -v dpkg-deb >/dev/null || die "dpkg-deb not found"

# usage: pkg DEBARCH
pkg() {
	deb=$1
	name=$(sh "$TOP/scripts/arch.sh" "$deb" name) || die "unknown Debian architecture $deb"
	bin=$REL/divebox-$name
	[ -f "$bin" ] || ARCHS=$name sh "$TOP/scripts/release.sh" >/dev/null ||
		die "cannot build $bin"
	out=$REL/divebox_${VERSION}_$deb.deb
	R=$REL/deb-$deb
	rm -rf "$R"
	mkdir -p "$R/DEBIAN" "$R/usr/bin" "$R/usr/sbin" "$R/usr/lib/divebox/bin" \
		"$R/usr/share/man/man1" "$R/usr/share/man/man8" \
		"$R/lib/systemd/system" "$R/usr/share/doc/divebox/examples"
	install -m 755 "$bin" "$R/usr/bin/divebox"
	ln -s divebox "$R/usr/bin/justexec"
	ln -s divebox "$R/usr/bin/divebox-dive"
	ln -s ../bin/divebox "$R/usr/sbin/dived"
	ln -s ../../../bin/divebox "$R/usr/lib/divebox/bin/dive"
	for m in divebox.1 justexec.1; do
		gzip -9n <"$TOP/man/$m" >"$R/usr/share/man/man1/$m.gz"
	done
	gzip -9n <"$TOP/man/dive.1" >"$R/usr/share/man/man1/divebox-dive.1.gz"
	gzip -9n <"$TOP/man/dived.8" >"$R/usr/share/man/man8/dived.8.gz"
	for u in "$TOP"/contrib/systemd/*; do
		sed 's|/usr/local/bin/dived|/usr/sbin/dived|g' "$u" \
			>"$R/lib/systemd/system/$(basename "$u")"
	done
	chmod 644 "$R"/lib/systemd/system/*
	doc=$R/usr/share/doc/divebox
	cp -r "$TOP/contrib/openrc" "$TOP/contrib/s6" "$doc/examples/"
	sed -i 's|/usr/local/bin/dived|/usr/sbin/dived|g' \
		"$doc/examples/openrc/divebox-admin" "$doc/examples/s6/divebox-admin/run"
	chmod -R u=rwX,go=rX "$doc/examples"
	chmod 644 "$doc/examples/openrc/divebox-admin" "$doc/examples/s6/divebox-admin/run"
	# static by design (dropped into containers and initramfs images as it
	# is): Debian's way to say so is an override, shipped in the package
	mkdir -p "$R/usr/share/lintian/overrides"
	printf '%s\n' "# divebox is one static musl binary by design (see NOTICE)" \
		"divebox: statically-linked-binary [usr/bin/divebox]" \
		>"$R/usr/share/lintian/overrides/divebox"
	cp "$TOP/NOTICE" "$doc/NOTICE"
	cp "$TOP/README.md" "$doc/README.md"
	copyright >"$doc/copyright"
	changelog | gzip -9n >"$doc/changelog.gz"
	control "$deb" >"$R/DEBIAN/control"
	cat >"$R/DEBIAN/postinst" <<'EOF'
#!/bin/sh
# /usr/bin/dive through alternatives: never over another package's own
set -e
if [ "$1" = configure ]; then
	update-alternatives --install /usr/bin/dive dive /usr/lib/divebox/bin/dive 10 \
		--slave /usr/share/man/man1/dive.1.gz dive.1.gz \
		/usr/share/man/man1/divebox-dive.1.gz
fi
EOF
	cat >"$R/DEBIAN/prerm" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = remove ] || [ "$1" = deconfigure ]; then
	update-alternatives --remove dive /usr/lib/divebox/bin/dive
fi
EOF
	chmod 755 "$R/DEBIAN/postinst" "$R/DEBIAN/prerm"
	(cd "$R" && find usr lib -type f | LC_ALL=C sort | xargs md5sum) >"$R/DEBIAN/md5sums"
	chmod 644 "$R/DEBIAN/control" "$R/DEBIAN/md5sums"
	# reproducible: every mtime the commit's, owners root (--root-owner-group)
	find "$R" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
	dpkg-deb --root-owner-group -Zxz --build "$R" "$out" >/dev/null
	say "$out"
	if command -v lintian >/dev/null 2>&1; then
		# errors fail; warnings are shown
		lintian --fail-on error "$out" || die "lintian found errors in $out"
	else
		echo "$me: warning: lintian not installed (scripts/bootstrap.sh)" >&2
	fi
}

control() {
	size=$(du -sk --exclude=DEBIAN "$R" | cut -f1)
	cat <<EOF
Package: divebox
Version: $VERSION
Architecture: $1
Maintainer: $MAINT
Installed-Size: $size
Section: admin
Priority: optional
Description: start programs in other namespaces, users and chroots
 divebox is one static multi-call binary: dived listens on a UNIX socket
 inside some namespace, chroot or other security context and starts
 programs there for its clients; dive (installed as divebox-dive, see
 /usr/share/doc/divebox/NOTICE) connects to it and has a program started
 there with the caller's file descriptors, argv, environment, current
 directory and terminal, and exits with its status; justexec applies the
 same setup (user, groups, capabilities, namespaces, chroot, rlimits) to
 itself and execs a command.
EOF
}

changelog() {
	cat <<EOF
divebox ($VERSION) unstable; urgency=medium

  * Release $VERSION (built from the upstream tree by scripts/mkdeb.sh).

 -- $MAINT  $(date -u -R -d "@$SOURCE_DATE_EPOCH")
EOF
}

copyright() {
	cat <<'EOF'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: divebox
Comment: /usr/bin/divebox is statically linked with musl and libcap-ng;
 see /usr/share/doc/divebox/NOTICE for how the LGPL's terms for libcap-ng
 are met (its source is published with every release).

Files: *
Copyright: 2026 the divebox authors
License: MIT

Files: musl (statically linked C library)
Copyright: 2005-2020 Rich Felker and many other contributors
License: MIT

Files: libcap-ng (statically linked)
Copyright: 2009-2022 Red Hat Inc.
License: LGPL-2.1+
 On Debian systems, the complete text of the GNU Lesser General Public
 License version 2.1 can be found in /usr/share/common-licenses/LGPL-2.1.

License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy
 of this software and associated documentation files (the "Software"), to deal
 in the Software without restriction, including without limitation the rights
 to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 copies of the Software, and to permit persons to whom the Software is
 furnished to do so, subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in
 all copies or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
 OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
 SOFTWARE.
EOF
}

debs=$*
[ -n "$debs" ] || debs=$(dpkg --print-architecture)
for d in $debs; do
	pkg "$d"
done
