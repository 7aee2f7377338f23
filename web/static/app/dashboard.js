// The commissioners' dashboard: enhancements only. Without this file the page's
// table of districts says everything the map shows.
//
// The map of the districts, drawn with Leaflet from the council's boundaries and
// no tile server: each district filled with the colour of its band and labelled
// with its figure, both read from the table's rows, so the page's one source of
// the figures is the table the server wrote.
const mapEl = document.getElementById('pm-dashboard-map')
if (mapEl && window.L) {
  const L = window.L
  const rows = {}
  document.querySelectorAll('#district-table [data-district]').forEach((row) => {
    rows[row.dataset.district] = { fill: row.dataset.fill, label: row.dataset.label }
  })
  // The district's name, as geo reads it from a boundary file's properties.
  const nameOf = (props) => {
    for (const [k, v] of Object.entries(props || {})) {
      if ((k === 'lad_name' || /^lad\d\dnm$/i.test(k) || k === 'name' || k === 'NAME') && typeof v === 'string' && v !== '') return v
    }
    return ''
  }
  mapEl.hidden = false
  const map = L.map(mapEl, { attributionControl: false, scrollWheelZoom: false })
  fetch(mapEl.dataset.boundaries).then((r) => r.json()).then((fc) => {
    const layer = L.geoJSON(fc, {
      style: (f) => {
        const row = rows[nameOf(f.properties)]
        return { color: '#0b0c0c', weight: 1, fillColor: row ? row.fill : '#ffffff', fillOpacity: 0.85 }
      },
      onEachFeature: (f, l) => {
        const row = rows[nameOf(f.properties)]
        if (row) l.bindTooltip(row.label, { permanent: true, direction: 'center', className: 'pm-map-label' })
      },
      interactive: false
    }).addTo(map)
    if (layer.getLayers().length > 0) map.fitBounds(layer.getBounds(), { padding: [10, 10] })
    mapEl.dataset.drawn = String(layer.getLayers().length)
  })
}
