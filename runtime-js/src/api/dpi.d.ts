/** A size in logical (device-independent) pixels. */
export class LogicalSize {
  constructor(width: number, height: number);
  readonly type: 'Logical';
  width: number;
  height: number;
  toPhysical(scaleFactor: number): PhysicalSize;
}

/** A size in physical (screen) pixels. */
export class PhysicalSize {
  constructor(width: number, height: number);
  readonly type: 'Physical';
  width: number;
  height: number;
  toLogical(scaleFactor: number): LogicalSize;
}

/** A position in logical pixels. */
export class LogicalPosition {
  constructor(x: number, y: number);
  readonly type: 'Logical';
  x: number;
  y: number;
  toPhysical(scaleFactor: number): PhysicalPosition;
}

/** A position in physical pixels. */
export class PhysicalPosition {
  constructor(x: number, y: number);
  readonly type: 'Physical';
  x: number;
  y: number;
  toLogical(scaleFactor: number): LogicalPosition;
}
