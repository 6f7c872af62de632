using System.Device.Adc;
using nanoFramework.Hardware.Esp32;
using WalkieTalkie.Device.Settings;

namespace WalkieTalkie.Device.Power
{
    /// <summary>
    /// The battery divider on an ADC1 channel (ADC2 is unusable while Wi-Fi runs). A reading averages a few
    /// conversions; the full-scale voltage is the ESP32's nominal at the driver's attenuation and should be
    /// calibrated once per board against a meter.
    /// </summary>
    public sealed class BatteryGauge
    {
        /// <summary>The pin voltage at the ADC's maximum reading. Nominal; calibrate per board.</summary>
        public const int FullScaleMillivolts = 3300;

        private const int Conversions = 8;
        private readonly AdcChannel _channel;
        private readonly int _maxRaw;

        public BatteryGauge()
        {
            Configuration.SetPinFunction(SiteSettings.BatterySenseGpio, SiteSettings.BatterySenseFunction);
            var adc = new AdcController();
            _maxRaw = adc.MaxValue;
            _channel = adc.OpenChannel(SiteSettings.BatterySenseAdcChannel);
        }

        /// <summary>The cell voltage in millivolts, 0 when the reading makes no sense.</summary>
        public int ReadMillivolts()
        {
            var sum = 0;
            for (var i = 0; i < Conversions; i++)
            {
                sum += _channel.ReadValue();
            }

            return BatteryCurve.CellMillivolts(sum / Conversions, _maxRaw, FullScaleMillivolts,
                SiteSettings.BatteryDividerTopOhms, SiteSettings.BatteryDividerBottomOhms);
        }
    }
}
