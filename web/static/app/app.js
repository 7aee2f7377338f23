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
