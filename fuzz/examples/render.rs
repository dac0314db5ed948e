//! Writes the project a structure-aware input stands for into a directory, to read a crash or
//! keep it as a regression case: `cargo run --example render -- structured|fix INPUT_FILE OUT_DIR`.

use std::path::Path;

use arbitrary::Unstructured;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, target, input, out] = &args[..] else {
        eprintln!("usage: render structured|fix INPUT_FILE OUT_DIR");
        std::process::exit(2);
    };
    let bytes = std::fs::read(input).expect("read the input file");
    let files = match target.as_str() {
        "structured" => certgate_fuzz::project(&mut Unstructured::new(&bytes)),
        "fix" => certgate_fuzz::fix_input(&bytes),
        other => panic!("no generator for target `{other}`"),
    }
    .expect("the generator accepts any input");
    for file in files {
        let path = Path::new(out).join(&file.path);
        std::fs::create_dir_all(path.parent().expect("a file path has a directory"))
            .expect("create the output directory");
        std::fs::write(&path, file.text).expect("write a file");
        println!("{}", path.display());
    }
}
