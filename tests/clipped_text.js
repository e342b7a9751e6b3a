() => {
  // Text cut by its box, as a user sees it: the laid-out extent of an element's own text reaches
  // past an ancestor (up to its element container) that hides what does not fit (overflow hidden
  // or clip, an ellipsis); or an input whose value is wider than its box.
  const out = [];
  const vis = e => e.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}) && e.getClientRects().length > 0;
  const hides = v => v === 'hidden' || v === 'clip';
  for (const e of document.querySelectorAll('[data-testid="stMain"] *, [data-testid="stSidebar"] *')) {
    if (!vis(e) || e.closest('.js-plotly-plot, [data-testid="stDataFrame"], script, style')) continue;
    if (e.tagName === 'INPUT') {
      if (e.value && e.type !== 'hidden' && e.scrollWidth > e.clientWidth + 1) out.push([e.value.slice(0, 40), 'input']);
      continue;
    }
    const texts = [...e.childNodes].filter(n => n.nodeType === 3 && n.data.trim());
    if (!texts.length) continue;
    const range = document.createRange();
    range.setStartBefore(texts[0]); range.setEndAfter(texts[texts.length - 1]);
    const text = range.getBoundingClientRect();
    for (let a = e, i = 0; a && i < 8; a = a.parentElement, i++) {
      const s = getComputedStyle(a);
      const box = a.getBoundingClientRect();
      // An ellipsis shows for any excess, even a fraction of a pixel; a hidden overflow from one pixel.
      const slack = s.textOverflow === 'ellipsis' ? 0.01 : hides(s.overflowX) ? 1 : Infinity;
      if (text.right > box.right + slack || text.left < box.left - slack
          || (hides(s.overflowY) && (text.bottom > box.bottom + 2 || text.top < box.top - 2))) {
        out.push([e.innerText.slice(0, 40), a.closest('[data-testid]')?.getAttribute('data-testid') || a.tagName]);
        break;
      }
      if (a.matches('[data-testid="stElementContainer"], [data-testid="stSidebarUserContent"]')) break;
    }
  }
  return out;
}
