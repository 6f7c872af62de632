using System.IO;

namespace WalkieTalkie.Device.Storage
{
    /// <summary>Whole-file reads and writes on the ESP32's internal flash drive, where provisioning puts the badge's files.</summary>
    public static class FlashFiles
    {
        /// <summary>The internal SPIFFS drive nanoFramework mounts on ESP32 targets.</summary>
        public const string Drive = "I:\\";

        public const string IdentityPath = Drive + "badge.cfg";
        public const string CaCertificatePath = Drive + "ca.pem";
        public const string ConfigCachePath = Drive + "config.bin";

        /// <summary>Reads the file into <paramref name="buffer"/>; returns its length, 0 when missing or empty, -1 when it does not fit.</summary>
        public static int Read(string path, byte[] buffer)
        {
            if (!File.Exists(path))
            {
                return 0;
            }

            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                var length = file.Length;
                if (length > buffer.Length)
                {
                    return -1;
                }

                var total = 0;
                while (total < length)
                {
                    var read = file.Read(buffer, total, (int)length - total);
                    if (read <= 0)
                    {
                        break;
                    }

                    total += read;
                }

                return total;
            }
        }

        /// <summary>Reads the whole file into a new array (start-up only), or null when missing.</summary>
        public static byte[] ReadAll(string path, int maxLength)
        {
            var buffer = new byte[maxLength];
            var length = Read(path, buffer);
            if (length <= 0)
            {
                return null;
            }

            var result = new byte[length];
            System.Array.Copy(buffer, result, length);
            return result;
        }

        /// <summary>Replaces the file with the first <paramref name="length"/> bytes of <paramref name="buffer"/>.</summary>
        public static void Write(string path, byte[] buffer, int length)
        {
            using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
            {
                file.Write(buffer, 0, length);
                file.Flush();
            }
        }
    }
}
