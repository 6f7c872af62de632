namespace WalkieTalkie.Device.Power
{
    /// <summary>
    /// Cell voltage from the divider's ADC reading, and charge from cell voltage, in integer math. The charge curve
    /// is a typical 1S LiPo at a light load (points every 100 mV); it is a guide for the wearer, not a fuel gauge.
    /// </summary>
    public static class BatteryCurve
    {
        // Millivolts and percent, highest first.
        private static readonly int[] Millivolts = { 4200, 4100, 4000, 3900, 3800, 3700, 3600, 3500, 3400, 3300 };
        private static readonly int[] Percent = { 100, 90, 79, 66, 52, 37, 22, 11, 4, 0 };

        /// <summary>
        /// The cell's voltage for a raw reading <paramref name="raw"/> of <paramref name="maxRaw"/> (full scale
        /// <paramref name="fullScaleMillivolts"/> at the pin) behind a divider of <paramref name="topOhms"/> over
        /// <paramref name="bottomOhms"/>. 0 when the reading or the divider make no sense.
        /// </summary>
        public static int CellMillivolts(int raw, int maxRaw, int fullScaleMillivolts, int topOhms, int bottomOhms)
        {
            if (raw <= 0 || maxRaw <= 0 || bottomOhms <= 0 || topOhms < 0 || fullScaleMillivolts <= 0)
            {
                return 0;
            }

            long pin = (long)raw * fullScaleMillivolts / maxRaw;
            return (int)(pin * (topOhms + (long)bottomOhms) / bottomOhms);
        }

        /// <summary>Charge 0..100 for <paramref name="millivolts"/>, or -1 when the voltage is unknown (0).</summary>
        public static int PercentOf(int millivolts)
        {
            if (millivolts <= 0)
            {
                return -1;
            }

            if (millivolts >= Millivolts[0])
            {
                return 100;
            }

            for (var i = 1; i < Millivolts.Length; i++)
            {
                if (millivolts >= Millivolts[i])
                {
                    var span = Millivolts[i - 1] - Millivolts[i];
                    return Percent[i] + (Percent[i - 1] - Percent[i]) * (millivolts - Millivolts[i]) / span;
                }
            }

            return 0;
        }
    }
}
