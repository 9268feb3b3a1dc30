# SPDX-License-Identifier: BSD-2-Clause
# Sourced by tools/run and tools/test: makes sure the Debian 12 packages are there.
HP_PACKAGES="gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc opensbi meson ninja-build device-tree-compiler gcc python3 spin"
# Only the tests need these (tools/test): a browser to render hplog's timeline.
HP_TEST_PACKAGES="chromium fonts-dejavu-core u-boot-qemu"

# hp_install_deps [PACKAGE...]: the project's packages and any named here.
hp_install_deps() {
	local missing=""
	for p in $HP_PACKAGES "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "tools: missing packages:$missing; install them with: sudo apt-get install$missing" >&2
		return 1
	fi
	echo "tools: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends $missing >&2
}

# hp_build CONFIG: configures (once) and builds build/CONFIG; prints nothing on stdout.
hp_build() {
	local config=$1 dir="$HP_ROOT/build/$1" hotplug
	case "$config" in
	hotplug) hotplug=true ;;
	nohotplug) hotplug=false ;;
	*) echo "tools: unknown configuration '$config' (hotplug or nohotplug)" >&2; return 2 ;;
	esac
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$HP_ROOT" --cross-file "$HP_ROOT/configs/riscv64-unknown-elf.ini" \
			-Dhotplug=$hotplug >&2 || return 1
	fi
	ninja -C "$dir" >&2 || return 1
}
