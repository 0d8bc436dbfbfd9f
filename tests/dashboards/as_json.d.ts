// The JSON form of a @grafana/schema type: string enums (MappingType.ValueToText) are written as
// their values ("value") in dashboard JSON, so a dashboard is checked against the type with every
// string enum replaced by the union of its values; everything else is left as the schema says.
export type AsJson<T> = T extends string
  ? `${T}`
  : T extends readonly (infer E)[]
    ? AsJson<E>[]
    : T extends object
      ? { [K in keyof T]: AsJson<T[K]> }
      : T;
