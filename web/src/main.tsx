// Only Vazirmatn's Arabic-script subset (Persian letters and digits): Latin text (the «English»
// switch, English mode) falls back to the system font, which saves a phone ~50 KB of fonts.
import '@fontsource/vazirmatn/arabic-400.css';
import '@fontsource/vazirmatn/arabic-500.css';
import '@fontsource/vazirmatn/arabic-700.css';
import '@mantine/core/styles.css';
import './app.css';
import { type CSSVariablesResolver, createTheme, DirectionProvider, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './app.tsx';
import { I18nProvider, useI18n } from './i18n.tsx';

const theme = createTheme({
  fontFamily: 'Vazirmatn, Tahoma, sans-serif',
  headings: { fontFamily: 'Vazirmatn, Tahoma, sans-serif' },
  primaryColor: 'blue',
  // Darker shades keep text on coloured buttons above WCAG AA contrast.
  primaryShade: 8,
  defaultRadius: 'md',
});

// Mantine's default "dimmed" grey is below WCAG AA contrast on white; one step darker passes.
const resolver: CSSVariablesResolver = () => ({ variables: {}, light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' }, dark: {} });

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

function Directed() {
  const { lang } = useI18n();
  return (
    <DirectionProvider initialDirection={lang === 'fa' ? 'rtl' : 'ltr'} detectDirection>
      <MantineProvider theme={theme} cssVariablesResolver={resolver}>
        <App />
      </MantineProvider>
    </DirectionProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <Directed />
        </BrowserRouter>
      </QueryClientProvider>
    </I18nProvider>
  </StrictMode>,
);
