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
        error: theme.palette.error.main,
        warning: theme.palette.warning.main,
        info: theme.palette.info.main,
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
