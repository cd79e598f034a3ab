// @myapp/api/dpi — sizes and positions in logical and physical pixels (the shapes of
// @tauri-apps/api/dpi). myapp's window commands work in logical pixels; a physical size or
// position given to them is converted with the window's scale factor.

/** A size in logical (device-independent) pixels. */
export class LogicalSize {
  constructor(width, height) {
    this.type = 'Logical';
    this.width = width;
    this.height = height;
  }
  toPhysical(scaleFactor) {
    return new PhysicalSize(this.width * scaleFactor, this.height * scaleFactor);
  }
}

/** A size in physical (screen) pixels. */
export class PhysicalSize {
  constructor(width, height) {
    this.type = 'Physical';
    this.width = width;
    this.height = height;
  }
  toLogical(scaleFactor) {
    return new LogicalSize(this.width / scaleFactor, this.height / scaleFactor);
  }
}

/** A position in logical pixels. */
export class LogicalPosition {
  constructor(x, y) {
    this.type = 'Logical';
    this.x = x;
    this.y = y;
  }
  toPhysical(scaleFactor) {
    return new PhysicalPosition(this.x * scaleFactor, this.y * scaleFactor);
  }
}

/** A position in physical pixels. */
export class PhysicalPosition {
  constructor(x, y) {
    this.type = 'Physical';
    this.x = x;
    this.y = y;
  }
  toLogical(scaleFactor) {
    return new LogicalPosition(this.x / scaleFactor, this.y / scaleFactor);
  }
}
