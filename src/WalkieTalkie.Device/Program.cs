using System.Device.Gpio;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Device.Audio;
using WalkieTalkie.Device.Diagnostics;
using WalkieTalkie.Device.Indicator;
using WalkieTalkie.Device.Input;
using WalkieTalkie.Device.Network;
using WalkieTalkie.Device.Power;
using WalkieTalkie.Device.Settings;
using WalkieTalkie.Device.Storage;
using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Device
{
    /// <summary>
    /// The badge firmware: wires the ESP32's hardware to the Badge library's state machine and runs it. Every start
    /// comes through here, deep-sleep wakes included (they restart the chip), so the wake cause is read first.
    /// </summary>
    public static class Program
    {
        private const int WifiTimeoutMilliseconds = 20000;
        private const int ConfigRetryMilliseconds = 60000;
        private const int SignalEveryMilliseconds = 60000;
        private const int IdleNapMilliseconds = 5;

        public static void Main()
        {
            var wake = Esp32Power.ReadWakeCause();
            var log = new SerialLog();
            log.Line("WalkieTalkie badge " + FirmwareVersion.Current + " on " + SiteSettings.Target + ", wake " + WakeName(wake));

            var identity = LoadIdentity(log);
            var ca = LoadCaCertificate(log);
            if (identity == null || (ca == null && SiteSettings.ValidateServerCertificate))
            {
                log.Line("not provisioned: run tools/WalkieTalkie.Provision and scripts/flash-badge --provision (docs/device.md)");
                Thread.Sleep(Timeout.Infinite);
            }

            if (wake == WakeCause.Reset)
            {
                // Not on a button wake: the wearer is waiting for the talk tone.
                SelfTest.Run(log);
            }

            var clock = new DeviceClock();
            var gpio = new GpioController();
            var speaker = new I2sSpeaker(gpio, clock);
            var indicator = new LedAndTones(gpio, speaker, clock);
            var buttons = new GpioButtons(gpio);
            var microphone = new I2sMicrophone();
            var battery = new BatteryGauge();
            var power = new Esp32Power(wake, battery, speaker, microphone, indicator);

            var millivolts = battery.ReadMillivolts();
            if (millivolts > 0 && millivolts < SiteSettings.BatteryEmptyMillivolts)
            {
                log.Line("battery empty (" + millivolts + " mV): sleeping until push-to-talk");
                power.SleepNow(0);
            }

            indicator.ShowLed(LedState.Connecting);
            var wifi = new WifiLink(log);
            while (!wifi.Connect(WifiTimeoutMilliseconds))
            {
                if (wake == WakeCause.Timer)
                {
                    // A check-in without a network: try again at the next one rather than drain the cell.
                    power.SleepNow(SiteSettings.PocketCheckInSeconds);
                }

                indicator.ShowLed(LedState.Offline);
                indicator.Pump();
            }

            var signal = new WifiSignal();
            var transport = new MqttTransport(identity, ca, signal, log);
            var fetcher = new ConfigFetcher(identity, ca, log);
            var observer = new DeviceObserver(log);
            var hardware = new BadgeHardware
            {
                Capture = microphone,
                Playback = speaker,
                Buttons = buttons,
                Indicator = indicator,
                Power = power,
                Transport = transport,
                Clock = clock,
                Settings = new FlashSettingsStore(identity, log),
                AccessPoint = signal,
            };

            var badge = new BadgeController(hardware, Options(), observer);
            transport.DeliverTo(badge.Inbox);
            badge.Start();
            Run(badge, indicator, fetcher, signal, observer, clock, wake);
        }

        /// <summary>The badge's tunables from the site settings; the gateway's config sets the rest.</summary>
        private static BadgeOptions Options()
        {
            var options = new BadgeOptions();
            options.SamplesPerBlock = SiteSettings.SamplesPerBlock;
            options.DefaultBlocksPerFrame = SiteSettings.BlocksPerMessage;
            options.LongPressMilliseconds = SiteSettings.LongPressMilliseconds;
            options.SosHoldMilliseconds = SiteSettings.SosHoldMilliseconds;
            options.SosMicrophoneSeconds = SiteSettings.SosMicrophoneSeconds;
            options.PocketAfterMilliseconds = SiteSettings.StandbyToPocketAfterSeconds * 1000;
            options.LowBatteryPercent = BatteryCurve.PercentOf(SiteSettings.BatteryLowMillivolts);
            return options;
        }

        private static void Run(BadgeController badge, LedAndTones indicator, ConfigFetcher fetcher, WifiSignal signal, DeviceObserver observer, DeviceClock clock, WakeCause wake)
        {
            // The configuration is fetched at a cold boot and whenever the gateway says it changed, but only while
            // the badge is quiet: an HTTPS request holds the whole runtime for its duration. Not after a deep-sleep
            // wake: the gateway sends the config over MQTT when a badge comes online, and a TLS handshake at every
            // check-in would cost battery for nothing.
            var now = clock.Milliseconds;
            var fetchAt = wake == WakeCause.Reset ? now : long.MaxValue;
            var measureAt = now;
            while (true)
            {
                var worked = badge.Step();
                indicator.Pump();
                now = clock.Milliseconds;
                if (observer.TakeConfigChanged())
                {
                    fetchAt = now;
                }

                var mode = badge.Mode;
                var quiet = mode == BadgeMode.Idle || mode == BadgeMode.Standby;
                if (quiet && now >= fetchAt)
                {
                    fetchAt = fetcher.FetchInto(badge.Inbox) ? long.MaxValue : now + ConfigRetryMilliseconds;
                }
                else if (mode == BadgeMode.Idle && now >= measureAt)
                {
                    signal.Measure();
                    measureAt = now + SignalEveryMilliseconds;
                }

                if (!worked)
                {
                    Thread.Sleep(IdleNapMilliseconds);
                }
            }
        }

        private static BadgeIdentity LoadIdentity(SerialLog log)
        {
            var bytes = FlashFiles.ReadAll(FlashFiles.IdentityPath, IdentityFile.MaxLength);
            if (bytes == null)
            {
                log.Line("no identity file " + FlashFiles.IdentityPath);
                return null;
            }

            string error;
            var identity = IdentityFile.Parse(bytes, bytes.Length, out error);
            if (identity == null)
            {
                log.Line(error);
            }

            return identity;
        }

        private static X509Certificate LoadCaCertificate(SerialLog log)
        {
            var pem = FlashFiles.ReadAll(FlashFiles.CaCertificatePath, 8192);
            if (pem == null)
            {
                log.Line("no CA certificate " + FlashFiles.CaCertificatePath);
                return null;
            }

            // As text, the form nanoFramework's samples use: mbedTLS reads a PEM byte buffer only when it ends in a NUL,
            // which the file on the drive does not.
            var text = Utf8.Decode(pem, 0, pem.Length);
            if (text == null || text.IndexOf("-----BEGIN CERTIFICATE-----") < 0)
            {
                log.Line("CA certificate " + FlashFiles.CaCertificatePath + " is not PEM");
                return null;
            }

            return new X509Certificate(text);
        }

        private static string WakeName(WakeCause cause)
        {
            switch (cause)
            {
                case WakeCause.Button: return "push-to-talk";
                case WakeCause.Timer: return "check-in timer";
                default: return "reset";
            }
        }
    }
}
