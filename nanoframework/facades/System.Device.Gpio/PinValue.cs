namespace System.Device.Gpio
{
    /// <summary>The level of a pin: <see cref="High"/> or <see cref="Low"/>.</summary>
    public readonly struct PinValue
    {
        private readonly byte _value;

        /// <summary>The high level.</summary>
        public static PinValue High => throw new NotSupportedException();

        /// <summary>The low level.</summary>
        public static PinValue Low => throw new NotSupportedException();

        /// <summary>0 is low, anything else high.</summary>
        public static implicit operator PinValue(int value) => throw new NotSupportedException();

        /// <summary>false is low, true high.</summary>
        public static implicit operator PinValue(bool value) => throw new NotSupportedException();

        /// <summary>1 for high, 0 for low.</summary>
        public static explicit operator byte(PinValue value) => throw new NotSupportedException();

        /// <summary>1 for high, 0 for low.</summary>
        public static explicit operator int(PinValue value) => throw new NotSupportedException();

        /// <summary>true for high.</summary>
        public static explicit operator bool(PinValue value) => throw new NotSupportedException();

        /// <summary>Whether both values are the same level.</summary>
        public bool Equals(PinValue other) => throw new NotSupportedException();

        /// <inheritdoc />
        public override bool Equals(object obj) => throw new NotSupportedException();

        /// <summary>Same level.</summary>
        public static bool operator ==(PinValue a, PinValue b) => throw new NotSupportedException();

        /// <summary>Different levels.</summary>
        public static bool operator !=(PinValue a, PinValue b) => throw new NotSupportedException();

        /// <inheritdoc />
        public override int GetHashCode() => throw new NotSupportedException();

        /// <inheritdoc />
        public override string ToString() => throw new NotSupportedException();
    }
}
