/** The figures a report shows. The example has no database: every report shows the same sample rows. */
export interface ReportData {
  id: string;
  title: string;
  currency: string;
  rows: { region: string; revenue: number; target: number }[];
}

const ROWS = [
  { region: 'North', revenue: 182_400, target: 175_000 },
  { region: 'South', revenue: 143_900, target: 160_000 },
  { region: 'East', revenue: 201_250, target: 190_000 },
  { region: 'West', revenue: 98_700, target: 110_000 },
];

/** The sample figures for a report id such as `team:sales-dashboard`. */
export function reportData(id: string): ReportData {
  const words = id.split(/[:._-]/).filter(Boolean);
  const title = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join(' ');
  return { id, title, currency: 'EUR', rows: ROWS };
}

/** The report id a share token is bound to: its `report:<id>` resource. */
export function boundReportId(resources: readonly string[]): string | undefined {
  return resources.find((resource) => resource.startsWith('report:'))?.slice('report:'.length);
}
