import { useMemo } from 'react';
import { useTheme } from '@material-ui/core/styles';
import {
  blue,
  brown,
  deepPurple,
  green,
  indigo,
  orange,
  pink,
  teal,
} from '@material-ui/core/colors';
import { Severity } from '@ingress-atlas/plugin-ingress-atlas-common';
import { GraphNodeType } from './types';
import { SEVERITY_INTENT } from '../../utils/findings';

const HUES: Record<GraphNodeType, Record<300 | 700, string>> = {
  host: pink,
  cluster: indigo,
  controlPlane: deepPurple,
  entry: orange,
  gateway: blue,
  route: teal,
  service: green,
  workload: brown,
};

export interface GraphColours {
  nodeType: Record<GraphNodeType, string>;
  /** Backstage UI's status colours, as CSS variables: for styles, not SVG attributes. */
  severity: Record<Severity, string>;
  edge: string;
  crossClusterEdge: string;
  nodeBackground: string;
  text: string;
  subtleText: string;
  highlight: string;
}

/** Colours for the graph, from the portal theme so both light and dark modes read well. */
export function useGraphColours(): GraphColours {
  const theme = useTheme();
  const dark = theme.palette.type === 'dark';
  return useMemo(() => {
    const shade = dark ? 300 : 700;
    const nodeType = Object.fromEntries(
      Object.entries(HUES).map(([type, hue]) => [type, hue[shade]]),
    ) as Record<GraphNodeType, string>;
    return {
      nodeType,
      severity: {
        error: `var(--bui-fg-${SEVERITY_INTENT.error})`,
        warning: `var(--bui-fg-${SEVERITY_INTENT.warning})`,
        info: `var(--bui-fg-${SEVERITY_INTENT.info})`,
      },
      edge: theme.palette.text.secondary,
      crossClusterEdge: theme.palette.secondary.main,
      nodeBackground: theme.palette.background.paper,
      text: theme.palette.text.primary,
      subtleText: theme.palette.text.secondary,
      highlight: theme.palette.primary.main,
    };
  }, [dark, theme]);
}
