import { Loader } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';

type ECharts = typeof import('echarts');
let loading: Promise<ECharts> | null = null;

/** ECharts (≈1 MB) and the Iran map load on first use only, so the citizen pages stay small. */
function loadECharts(): Promise<ECharts> {
  loading ??= Promise.all([import('echarts'), import('./data/iran-provinces.json')]).then(([echarts, geo]) => {
    echarts.registerMap('iran', (geo as { default: unknown }).default as never);
    return echarts;
  });
  return loading;
}

/** One chart; `option` is an ECharts option object (re-applied when it changes). */
export function EChart({ option, height = 360, label }: { option: Record<string, unknown>; height?: number; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<import('echarts').ECharts | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let disposed = false;
    const onResize = () => chart.current?.resize();
    void loadECharts().then((echarts) => {
      if (disposed || !ref.current) return;
      chart.current = echarts.init(ref.current, undefined, { renderer: 'svg' });
      setReady(true);
      window.addEventListener('resize', onResize);
    });
    return () => {
      disposed = true;
      window.removeEventListener('resize', onResize);
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    if (ready) chart.current?.setOption(option, true);
  }, [ready, option]);
  return (
    <div role="img" aria-label={label} style={{ position: 'relative', height }}>
      <div ref={ref} style={{ height: '100%', width: '100%' }} />
      {!ready && <Loader size="sm" style={{ position: 'absolute', insetInlineStart: '50%', top: '45%' }} />}
    </div>
  );
}

/** A choropleth of Iran's provinces: `values` by the province's Persian name. */
export function provinceMapOption(values: { name: string; value: number | null }[], seriesName: string, lang: 'fa' | 'en'): Record<string, unknown> {
  const numbers = values.map((v) => v.value ?? 0);
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; value: number }) =>
        `${p.name}: ${Number.isFinite(p.value) ? p.value.toLocaleString(lang === 'fa' ? 'fa-IR' : 'en-US') : '—'}`,
    },
    // The legend sits in its own strip under the map (on a phone it covered the southern provinces),
    // its end numbers in the reader's digits.
    visualMap: {
      min: 0,
      max: Math.max(1, ...numbers),
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemWidth: 12,
      itemHeight: 120,
      calculable: true,
      formatter: (value: number) => Math.round(value).toLocaleString(lang === 'fa' ? 'fa-IR' : 'en-US'),
      inRange: { color: ['#e7f5ff', '#74c0fc', '#1971c2', '#0b3d91'] },
      text: lang === 'fa' ? ['بیشتر', 'کمتر'] : ['more', 'less'],
    },
    series: [
      { name: seriesName, type: 'map', map: 'iran', roam: false, top: 8, bottom: 64, left: 8, right: 8, emphasis: { label: { show: true } }, data: values },
    ],
  };
}
