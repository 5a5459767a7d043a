//! `ssmgo config path|show`: where the config file is, and what ssmgo makes of everything.

use crate::cli::ConfigCommand;
use crate::error::Result;
use crate::output::write_text;
use crate::settings::{Config, Flags, Settings};

pub fn run(command: ConfigCommand, flags: &Flags) -> Result<()> {
    match command {
        ConfigCommand::Path => {
            let path = crate::paths::config_file().map_or_else(
                || "(none: neither SSMGO_CONFIG, XDG_CONFIG_HOME nor HOME is set)".into(),
                |p| p.display().to_string(),
            );
            write_text(&format!("{path}\n"))
        }
        ConfigCommand::Show => {
            let config = Config::load()?;
            let settings = Settings::resolve(flags, &|name| std::env::var(name).ok(), &config)?;
            let mut text = match (&config.path, config.exists) {
                (Some(p), true) => format!("# config file: {}\n", p.display()),
                (Some(p), false) => format!("# config file: {} (not present)\n", p.display()),
                (None, _) => "# config file: none\n".into(),
            };
            if let Some(p) = &settings.preset {
                text.push_str(&format!("# preset: {p}\n"));
            }
            let rows = settings.describe();
            let width = rows.iter().map(|(k, _, _)| k.len()).max().unwrap_or(0);
            let value_width = rows
                .iter()
                .map(|(_, v, _)| v.chars().count())
                .max()
                .unwrap_or(0);
            for (key, value, source) in rows {
                text.push_str(&format!(
                    "{key:<width$}  {:<value_width$}  ({source})\n",
                    value
                ));
            }
            let presets = config.preset_names();
            if !presets.is_empty() {
                text.push_str(&format!("# presets: {}\n", presets.join(", ")));
            }
            write_text(&text)
        }
    }
}
