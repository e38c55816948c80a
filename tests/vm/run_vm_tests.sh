#!/usr/bin/env bash
# VM test stage: boots Debian's own kernel under qemu (TCG) with gpio-sim and vimc built out of tree and Debian's
# vivid and i2c-stub, the host's root shared read-only, and runs the given test binary inside against the real
# GPIO, I²C and camera drivers.
#   run_vm_tests.sh WORKDIR TEST_BINARY [ARGS...]
# Exit 0 pass, 1 fail, 77 skipped (qemu, kernel image/headers or linux-source not installed).
set -euo pipefail
W=$1; shift
TEST=$1; shift
SKIP=77
mkdir -p "$W"; cd "$W"

skip() { echo "SKIP: $*"; exit $SKIP; }
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 missing; install qemu-system-x86 (packaging/debian-packages-test.txt)"
[ -x /bin/busybox ] || skip "busybox missing; install busybox-static"
# The newest installed kernel that has both its image and its headers (same ABI).
KVER=""
for img in $(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V -r); do
  v=${img#/boot/vmlinuz-}
  if [ -d "/usr/src/linux-headers-$v" ] && [ -d "/lib/modules/$v/kernel" ]; then KVER=$v; break; fi
done
[ -n "$KVER" ] || skip "no kernel with matching headers; install linux-image-amd64 and linux-headers-amd64"
SRC=$(ls -1 /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -1)
[ -n "$SRC" ] || skip "no kernel source; install linux-source-6.1"
[ -r "/boot/vmlinuz-$KVER" ] || skip "/boot/vmlinuz-$KVER is not readable by this user"

# gpio-sim and vimc, built once per kernel version and cached here.
t0=$(date +%s)
MODS=mods-$KVER
if [ ! -f "$MODS/gpio_sim.ko" ] || [ ! -f "$MODS/vimc.ko" ]; then
  rm -rf ksrc gpio-sim vimc "$MODS"; mkdir -p ksrc gpio-sim vimc "$MODS"
  TOP=$(basename "$SRC" .tar.xz)
  tar -xaf "$SRC" -C ksrc "$TOP/drivers/gpio/gpio-sim.c" "$TOP/drivers/gpio/gpiolib.h" \
    "$TOP/kernel/irq/irq_sim.c" "$TOP/drivers/media/test-drivers/vimc"
  cp "ksrc/$TOP/drivers/gpio/gpio-sim.c" "ksrc/$TOP/drivers/gpio/gpiolib.h" "ksrc/$TOP/kernel/irq/irq_sim.c" gpio-sim/
  # irq_sim goes into the same module; irq_to_desc() is not exported to modules, generic_handle_irq() is.
  sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' gpio-sim/irq_sim.c
  grep -q 'generic_handle_irq(irqnum)' gpio-sim/irq_sim.c || { echo "irq_sim.c changed; update the patch in $0"; exit 1; }
  printf 'obj-m += gpio_sim.o\ngpio_sim-y := gpio-sim.o irq_sim.o\n' > gpio-sim/Kbuild
  cp "ksrc/$TOP"/drivers/media/test-drivers/vimc/*.[ch] vimc/
  objs=$(cd vimc && ls *.c | sed 's/\.c$/.o/' | tr '\n' ' ')
  printf 'obj-m += vimc.o\nvimc-y := %s\n' "$objs" > vimc/Kbuild
  make -s -j2 -C "/usr/src/linux-headers-$KVER" M="$PWD/gpio-sim" modules
  make -s -j2 -C "/usr/src/linux-headers-$KVER" M="$PWD/vimc" modules
  cp gpio-sim/gpio_sim.ko vimc/vimc.ko "$MODS/"
  rm -rf ksrc
  echo "vm: built gpio-sim and vimc for $KVER in $(( $(date +%s) - t0 )) s"
else
  echo "vm: gpio-sim and vimc for $KVER from the cache"
fi

# initramfs: busybox, the modules the 9p root, configfs and vimc need (in load order), then a chroot
# into the host's root, read-only, with /tmp and /run as tmpfs.
rm -rf initrd; mkdir -p initrd/bin initrd/mod
cp /bin/busybox initrd/bin/
ORDER="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p
configfs mc videodev videobuf2-common videobuf2-memops videobuf2-v4l2 videobuf2-vmalloc videobuf2-dma-contig v4l2-tpg
rc-core cec v4l2-dv-timings vivid i2c-stub i2c-dev"
for m in $ORDER; do
  f=$(find "/lib/modules/$KVER/kernel" -name "$m.ko*" | head -1)
  [ -n "$f" ] || { echo "module $m not found for $KVER"; exit 1; }
  case $f in
    *.xz) xz -dc "$f" > "initrd/mod/$m.ko" ;;
    *.zst) zstd -qdc "$f" > "initrd/mod/$m.ko" ;;
    *) cp "$f" "initrd/mod/$m.ko" ;;
  esac
done
cp "$MODS"/*.ko initrd/mod/
echo $ORDER gpio_sim vimc > initrd/mod/order
# vivid (Debian's own module): one plain V4L2 capture node, a webcam-like test pattern, the camera Qt
# Multimedia opens in test_qt_camera.
echo n_devs=1 node_types=0x1 > initrd/mod/vivid.args
# An SMBus stub with one chip at the ADS1115's address: the thermometer's real I²C path, without the chip.
echo chip_addr=0x48 > initrd/mod/i2c-stub.args
# The guest's /tmp is a fresh tmpfs; the host's /tmp stays visible at /mnt (a build tree under /tmp).
case $TEST in /tmp/*) TEST=/mnt/${TEST#/tmp/} ;; esac
# The output guard the tests start (SCOPESYNC_OUTPUT_GUARD, set by CTest), by its path inside the guest.
GUARD=${SCOPESYNC_OUTPUT_GUARD:-}
case $GUARD in /tmp/*) GUARD=/mnt/${GUARD#/tmp/} ;; esac
{
  printf 'cd /tmp\n'
  if [ -n "$GUARD" ]; then printf 'export SCOPESYNC_OUTPUT_GUARD=%q\n' "$GUARD"; fi
  printf 'exec'; printf ' %q' "$TEST" "$@"; printf '\n'
} > initrd/test.sh
cat > initrd/init <<'INIT'
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /newroot
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs dev /dev
for m in $(cat /mod/order); do insmod /mod/$m.ko $(cat /mod/$m.args 2>/dev/null) || echo "vm: insmod $m failed"; done
mkdir -p /sys/kernel/config; mount -t configfs none /sys/kernel/config
# One gpio-sim chip of 32 lines (the BCM numbers of a Pi's header fit), labelled for the tests.
G=/sys/kernel/config/gpio-sim/scopesync
mkdir $G $G/bank0; echo 32 > $G/bank0/num_lines; echo scopesync-sim > $G/bank0/label; echo 1 > $G/live
mount -t 9p -o trans=virtio,version=9p2000.L,ro hostroot /newroot
for d in proc sys dev; do mount --bind /$d /newroot/$d; done
mount -t configfs none /newroot/sys/kernel/config
mount --bind /newroot/tmp /newroot/mnt; mount -t tmpfs tmp /newroot/tmp; mount -t tmpfs run /newroot/run
cp /test.sh /newroot/tmp/test.sh
# libcamera lists only devices udev has initialised; udevd refuses to run in a chroot without this.
SYSTEMD_IGNORE_CHROOT=1 chroot /newroot /bin/sh -c '/lib/systemd/systemd-udevd --daemon >/dev/null 2>&1
udevadm trigger --action=add; udevadm settle -t 20
export QT_QPA_PLATFORM=offscreen LIBCAMERA_LOG_LEVELS=*:ERROR HOME=/tmp XDG_RUNTIME_DIR=/tmp/runtime
mkdir -m 700 -p /tmp/runtime
sh /tmp/test.sh; echo "vm-test-exit=$?"'
poweroff -f
INIT
chmod +x initrd/init
(cd initrd && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 > ../initrd.gz)

t1=$(date +%s)
timeout 480 qemu-system-x86_64 -accel tcg -m 1536 -smp 1 -nographic -no-reboot \
  -kernel "/boot/vmlinuz-$KVER" -initrd initrd.gz -append "console=ttyS0 quiet panic=-1" \
  -fsdev local,path=/,security_model=none,id=hostroot,readonly=on,multidevs=remap \
  -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot > console.log 2>&1 || true
sed -n '/^Booting from ROM/,$p' console.log | tail -n +2 | tr -d '\r'
echo "vm: boot and test run took $(( $(date +%s) - t1 )) s (qemu TCG, kernel $KVER)"
rc=$(sed -n 's/.*vm-test-exit=\([0-9]*\).*/\1/p' console.log | tr -d '\r' | tail -1)
[ -n "$rc" ] || { echo "vm: the test did not report an exit status (see $W/console.log)"; exit 1; }
exit "$rc"
