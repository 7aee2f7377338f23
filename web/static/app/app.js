// Enhancements only: every page works without this file.
import { initAll } from 'static:vendor/govuk-frontend/govuk-frontend.min.js'

initAll()

// "Why not": filter the excluded providers by name as the officer types, opening
// the groups that hold a match. Without JavaScript the same search is a form that
// the server answers.
const search = document.querySelector('[data-module="pm-why-not-search"]')
if (search) {
  const input = search.querySelector('input[name="q"]')
  const groups = document.querySelectorAll('[data-why-not-group]')
  const status = document.getElementById('why-not-status')
  input.addEventListener('input', () => {
    const q = input.value.trim().toLowerCase()
    let shown = 0
    groups.forEach((group) => {
      let inGroup = 0
      group.querySelectorAll('[data-provider-name]').forEach((item) => {
        const hit = q === '' || item.dataset.providerName.toLowerCase().includes(q)
        item.hidden = !hit
        if (hit) inGroup++
      })
      group.hidden = inGroup === 0
      group.open = q !== '' && inGroup > 0
      const count = group.querySelector('[data-count]')
      if (count) count.textContent = String(inGroup)
      shown += inGroup
    })
    if (status) status.textContent = q === '' ? '' : shown + ' excluded ' + (shown === 1 ? 'home matches' : 'homes match') + ' “' + input.value.trim() + '”.'
  })
}

// The map of a run, drawn from the page's GeoJSON with no tile server: the
// council's districts when configured, the child's home and school, the locations
// to avoid and the numbered homes. The table beside it says the same without it.
const mapEl = document.getElementById('pm-map')
if (mapEl && window.L) {
  const L = window.L
  mapEl.hidden = false
  const map = L.map(mapEl, { attributionControl: Boolean(mapEl.dataset.tiles), scrollWheelZoom: false })
  if (mapEl.dataset.tiles) {
    map.attributionControl.setPrefix(false)
    L.tileLayer(mapEl.dataset.tiles, { attribution: mapEl.dataset.attribution, maxZoom: 18 }).addTo(map)
  }
  const colours = { home: '#0b0c0c', school: '#00703c', avoid: '#d4351c' }
  if (mapEl.dataset.boundaries) {
    fetch(mapEl.dataset.boundaries).then((r) => r.json()).then((fc) => {
      L.geoJSON(fc, { style: { color: '#505a5f', weight: 1, fillOpacity: 0.03 }, interactive: false }).addTo(map).bringToBack()
    })
  }
  fetch(mapEl.dataset.geojson).then((r) => r.json()).then((fc) => {
    const layer = L.geoJSON(fc, {
      style: (f) => ({ color: colours[f.properties.kind] || '#1d70b8', weight: 2, fillOpacity: 0.15 }),
      pointToLayer: (f, latlng) => f.properties.rank
        ? L.marker(latlng, { icon: L.divIcon({ className: 'pm-map-rank', html: String(f.properties.rank), iconSize: [28, 28] }), keyboard: false, interactive: false })
        : L.circleMarker(latlng, { radius: 8, color: colours[f.properties.kind], fillOpacity: 0.8, interactive: false }),
      interactive: false
    }).addTo(map) // the numbers are the ranks in the table beside the map, which names them
    if (layer.getLayers().length > 0) map.fitBounds(layer.getBounds(), { padding: [30, 30], maxZoom: 13 })
  })
}
