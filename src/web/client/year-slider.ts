/// <reference lib="dom" />
/**
 * The map's year as a slider (a native range input: arrows, Home/End, Page Up/Down; announced with the period's label
 * and, for a partial year, that it is partial). It drives the form's `year` select, which stays the form's field (the
 * page works without the script) but is hidden once the slider is there. Partial years are marked under the track
 * with a hollow dot and in the slider's text, never shown as complete.
 */
export interface MapYear {
  readonly value: string;
  readonly label: string;
  readonly partial: boolean;
}

export interface YearSliderMessages {
  readonly mapYear: string;
  readonly mapYearPartial: string;
  readonly mapYearLegend: string;
}

export interface YearSlider {
  readonly element: HTMLElement;
  /** Moves the slider to a period (the URL changed: back/forward). */
  set(value: string | null): void;
}

let sliderSeq = 0;

export function yearSlider(select: HTMLSelectElement, years: readonly MapYear[], messages: YearSliderMessages): YearSlider {
  const id = `year-slider-${++sliderSeq}`;
  const box = document.createElement('div');
  box.className = 'year-slider';
  const label = box.appendChild(document.createElement('label'));
  label.htmlFor = id;
  label.textContent = messages.mapYear;
  const shown = box.appendChild(document.createElement('output'));
  shown.htmlFor.add(id);
  shown.className = 'year-slider-value';
  const input = box.appendChild(document.createElement('input'));
  Object.assign(input, { type: 'range', id, min: '0', max: String(years.length - 1), step: '1' });
  // Ticks: one per period, hollow for a partial one; the first and last periods named under the ends.
  const ticks = box.appendChild(document.createElement('div'));
  ticks.className = 'year-ticks';
  ticks.setAttribute('aria-hidden', 'true');
  for (const y of years) {
    const tick = ticks.appendChild(document.createElement('span'));
    tick.className = y.partial ? 'tick partial' : 'tick';
    tick.title = y.partial ? `${y.label}: ${messages.mapYearPartial}` : y.label;
  }
  const ends = box.appendChild(document.createElement('div'));
  ends.className = 'year-ends';
  ends.setAttribute('aria-hidden', 'true');
  ends.append(Object.assign(document.createElement('span'), { textContent: years[0]?.label ?? '' }), Object.assign(document.createElement('span'), { textContent: years.at(-1)?.label ?? '' }));
  if (years.some((y) => y.partial)) box.appendChild(Object.assign(document.createElement('p'), { className: 'muted year-legend', textContent: messages.mapYearLegend }));

  const show = (i: number) => {
    const y = years[i];
    if (!y) return;
    const text = y.partial ? `${y.label} (${messages.mapYearPartial})` : y.label;
    shown.textContent = y.partial ? `○ ${text}` : text;
    shown.classList.toggle('partial', y.partial);
    input.setAttribute('aria-valuetext', text);
  };
  const set = (value: string | null) => {
    const i = years.findIndex((y) => y.value === value);
    input.value = String(i === -1 ? years.length - 1 : i);
    show(Number(input.value));
  };
  // While dragging, only the label follows; the map is drawn again when the value is let go (or per key press).
  input.addEventListener('input', () => show(Number(input.value)));
  // Runs before the form's own change listener (the event reaches the input before it bubbles to the form).
  input.addEventListener('change', () => {
    select.value = years[Number(input.value)]?.value ?? select.value;
  });
  set(select.value);
  return { element: box, set };
}
