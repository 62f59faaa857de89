#!/bin/sh
# make demo: build an image from a directory and a list file, show it,
# unpack it, and show that the gen_init_cpio personality writes the same
# bytes as a list file given to `initramfs build`.
set -eu
BIN=${BIN:-build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/root/bin" "$work/root/etc"
printf '#!/bin/sh\necho hello from the initramfs\n' > "$work/root/init"
chmod 755 "$work/root/init"
echo 'demo' > "$work/root/etc/hostname"
ln "$work/root/etc/hostname" "$work/root/etc/hostname.link"
ln -s ../init "$work/root/bin/start"
cat > "$work/devices.list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
nod /dev/null 0666 0 0 c 1 3
LIST

echo "== initramfs build -o demo.img --squash root/ devices.list"
SOURCE_DATE_EPOCH=1700000000 "$BIN/initramfs" build -o "$work/demo.img" --squash \
	"$work/root" "$work/devices.list"
echo "== initramfs list -l demo.img"
"$BIN/initramfs" list -l "$work/demo.img"
echo "== initramfs extract demo.img out/"
"$BIN/initramfs" extract "$work/demo.img" "$work/out"
(cd "$work/out" && find . | LC_ALL=C sort)
echo "== gen_init_cpio -t 1700000000 devices.list vs initramfs build"
"$BIN/gen_init_cpio" -t 1700000000 "$work/devices.list" > "$work/a.cpio"
SOURCE_DATE_EPOCH=1700000000 "$BIN/initramfs" build "$work/devices.list" > "$work/b.cpio"
cmp "$work/a.cpio" "$work/b.cpio" && echo "byte-identical ($(wc -c < "$work/a.cpio") bytes)"
