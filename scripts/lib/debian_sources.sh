# Fetching and unpacking Debian source packages, sourced by scripts/bootstrap.
#
# A source package is resolved to one Debian version: the versions that
# `apt-cache showsrc` lists for the pinned upstream version are tried newest
# first, until one arrives with its .dsc and every upstream tarball, each
# matching the .dsc's sha256 and the sha256 pinned in scripts/deps.versions.
# A version whose Debian tarball (the patch series) is not served is kept only
# as a last resort and said so. The verified files of a version live in
# <store>/<package>/<version>/; <store>/<package>.version names the one in use.
#
# Needs: SOURCE_UPSTREAM, SOURCE_ORIG_SHA256 (scripts/deps.versions), step, as_root.

# Prints the versions `apt-cache showsrc` lists for $1, newest first, one a line.
debian_versions_newest_first() {
  local versions=() v i j
  mapfile -t versions < <(apt-cache showsrc "$1" 2>/dev/null | sed -n 's/^Version: //p' | sort -u)
  for ((i = 1; i < ${#versions[@]}; i++)); do  # insertion sort with dpkg's order
    v="${versions[i]}"; j=$((i - 1))
    while ((j >= 0)) && dpkg --compare-versions "${versions[j]}" lt "$v"; do
      versions[j + 1]="${versions[j]}"; j=$((j - 1))
    done
    versions[j + 1]="$v"
  done
  ((${#versions[@]})) && printf '%s\n' "${versions[@]}"
  return 0
}

upstream_of() { local v="${1#*:}"; echo "${v%-*}"; }  # 1:1.2.13.dfsg-1+deb12u1 -> 1.2.13.dfsg
no_epoch() { echo "${1#*:}"; }

# Makes sure apt knows the source packages: derives deb-src entries from the
# binary ones when there are none, without naming any host.
ensure_deb_src() {
  if grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ || grep -qs '^deb-src' /etc/apt/sources.list; then
    [[ -n "$(apt-cache showsrc zlib 2>/dev/null | head -1)" ]] && return 0
  else
    [[ -f /etc/apt/sources.list.d/debian.sources ]] \
      || { echo "no deb-src entries and no /etc/apt/sources.list.d/debian.sources to derive them from"; return 1; }
    step "enabling Debian source entries (derived from the existing binary entries)" >&2
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
      | as_root tee /etc/apt/sources.list.d/debian-src.sources >/dev/null
  fi
  as_root apt-get update -q >/dev/null || { echo "apt-get update failed"; return 1; }
}

# check_source_dir <package> <version> <dir>: verifies the files of one
# downloaded version. Prints "complete", "no-debian-tarball", or a reason
# starting with "bad:" or "missing:".
check_source_dir() {
  local pkg="$1" version="$2" dir="$3"
  local dsc="$dir/${pkg}_$(no_epoch "$version").dsc"
  [[ -f "$dsc" ]] || { echo "missing: ${dsc##*/} not served"; return; }
  local sums line sha size name status="complete" pinned file want
  sums="$(sed -n '/^Checksums-Sha256:/,/^[^ ]/p' "$dsc" | grep '^ ')"
  [[ -n "$sums" ]] || { echo "bad: ${dsc##*/} has no Checksums-Sha256"; return; }
  for pinned in ${SOURCE_ORIG_SHA256[$pkg]}; do
    file="${pinned%%=*}"
    grep -q " $file\$" <<<"$sums" || { echo "bad: ${dsc##*/} does not list the pinned $file"; return; }
  done
  while read -r sha size name; do
    if [[ ! -f "$dir/$name" ]]; then
      if [[ "$name" == *.orig*.tar.* ]]; then echo "missing: $name not served"; return; fi
      status="no-debian-tarball"; continue
    fi
    [[ "$(sha256sum "$dir/$name" | cut -d' ' -f1)" == "$sha" ]] \
      || { echo "bad: $name does not match the sha256 in ${dsc##*/}"; return; }
    [[ "$(stat -c %s "$dir/$name")" == "$size" ]] || { echo "bad: $name size differs from ${dsc##*/}"; return; }
  done <<<"$sums"
  for pinned in ${SOURCE_ORIG_SHA256[$pkg]}; do
    file="${pinned%%=*}"; want="${pinned#*=}"
    [[ "$(sha256sum "$dir/$file" | cut -d' ' -f1)" == "$want" ]] \
      || { echo "bad: $file sha256 differs from the one pinned in scripts/deps.versions"; return; }
  done
  echo "$status"
}

# resolve_source <package> <store>: leaves a verified version in <store> and
# writes its name to <store>/<package>.version. Prints what it tried; returns 1
# with a message naming the package, each version tried and why it failed.
resolve_source() {
  local pkg="$1" store="$2" want="${SOURCE_UPSTREAM[$1]}"
  local versions=() tried=() fallback="" v dir status tmp
  mkdir -p "$store/$pkg"
  mapfile -t versions < <(debian_versions_newest_first "$pkg")
  for v in "${versions[@]}"; do
    if [[ "$(upstream_of "$v")" != "$want" ]]; then
      tried+=("$v: upstream $(upstream_of "$v"), pinned $want"); continue
    fi
    dir="$store/$pkg/${v//:/_}"
    status=""
    [[ -d "$dir" ]] && status="$(check_source_dir "$pkg" "$v" "$dir")"
    if [[ "$status" != complete && "$status" != no-debian-tarball ]]; then
      # Unavailable a short while ago: do not ask the mirror again on every run.
      if [[ -f "$dir.unavailable" ]] && [[ -n "$(find "$dir.unavailable" -mmin -1440 2>/dev/null)" ]]; then
        tried+=("$v: $(cat "$dir.unavailable") (checked in the last day)"); continue
      fi
      tmp="$(mktemp -d "$store/$pkg/.fetch.XXXXXX")"
      (cd "$tmp" && apt-get source --download-only "$pkg=$v" >"$tmp/apt.log" 2>&1) || true
      status="$(check_source_dir "$pkg" "$v" "$tmp")"
      if [[ "$status" == complete || "$status" == no-debian-tarball ]]; then
        rm -rf "$dir"; rm -f "$tmp/apt.log" "$dir.unavailable"; mv "$tmp" "$dir"
      else
        local why="$status"
        grep -q ' 404 ' "$tmp/apt.log" && why="$status (the mirror answered 404)"
        echo "$why" >"$dir.unavailable"
        rm -rf "$tmp"
        tried+=("$v: $why"); continue
      fi
    fi
    if [[ "$status" == complete ]]; then
      echo "$v" >"$store/$pkg.version"
      step "source $pkg: Debian $v (Debian patches applied)"
      ((${#tried[@]})) && printf '            skipped %s\n' "${tried[@]}" >&2
      return 0
    fi
    tried+=("$v: Debian tarball (patch series) not served")
    [[ -z "$fallback" ]] && fallback="$v"
  done
  if [[ -n "$fallback" ]]; then
    echo "$fallback" >"$store/$pkg.version"
    step "source $pkg: Debian $fallback WITHOUT Debian patches: its Debian tarball is not served (upstream tarball verified)"
    printf '            tried %s\n' "${tried[@]}" >&2
    return 0
  fi
  # Nothing listed or fetchable now: an earlier verified copy still serves.
  if [[ -f "$store/$pkg.version" ]]; then
    v="$(cat "$store/$pkg.version")"
    status="$(check_source_dir "$pkg" "$v" "$store/$pkg/${v//:/_}")"
    if [[ "$status" == complete || "$status" == no-debian-tarball ]]; then
      step "source $pkg: Debian $v from the cache (no newer version could be fetched)"
      return 0
    fi
  fi
  echo "source package '$pkg' (upstream $want): no version could be fetched and verified."
  if ((${#tried[@]})); then
    printf '  tried %s\n' "${tried[@]}"
  else
    echo "  apt-cache showsrc $pkg lists no version: are deb-src entries enabled and 'apt-get update' run?"
  fi
  return 1
}

# unpack_source <package> <store> <dest>: unpacks the resolved version into
# <dest> (not existing yet) with dpkg-source, so Debian's patch series is
# applied; without a Debian tarball, the verified upstream tarball only.
unpack_source() {
  local pkg="$1" store="$2" dest="$3" v dir
  v="$(cat "$store/$pkg.version")"; dir="$store/$pkg/${v//:/_}"
  mkdir -p "$(dirname "$dest")"
  if [[ "$(check_source_dir "$pkg" "$v" "$dir")" == complete ]]; then
    # Checksums were verified above; signatures need keyrings we do not install.
    dpkg-source --no-check -x "$dir/${pkg}_$(no_epoch "$v").dsc" "$dest" >"$dest.unpack.log" 2>&1 \
      || { cat "$dest.unpack.log"; return 1; }
  else
    local orig="${SOURCE_ORIG_SHA256[$pkg]%%=*}" tmp
    tmp="$(mktemp -d "$(dirname "$dest")/.unpack.XXXXXX")"
    tar -xf "$dir/$orig" -C "$tmp"
    mv "$tmp"/* "$dest"; rmdir "$tmp"
  fi
}
