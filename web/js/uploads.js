// An upload area shared by the missions and mods pages: a drop zone with a file picker, one row
// per file with a progress bar, an "exists?" check before each upload with a replace prompt, and
// the API's message when a file is refused (400, 409, 413).
import { get, uploadFile } from './api.js';
import { el, button, confirmDialog, formatBytes, uid } from './ui.js';

// options:
//   accept        file input accept list ('.pbo,.PBO')
//   dropText      text of the drop zone ('Drop .pbo mission files here')
//   existsPath    name -> API path answering {exists}
//   uploadPath    API path of the multipart upload
//   replaceTitle  title of the replace prompt
//   replaceText   name -> text of the replace prompt
//   onFinished    called (awaited) after a batch of files has been handled
//   processingText  shown once the file is sent while the server still works on it
// Returns {dropZone, list, clearButton, destroy}.
export function uploadArea({ accept, dropText, existsPath, uploadPath, replaceTitle, replaceText, onFinished = () => {}, processingText = 'Uploading… 100%' }) {
  const list = el('ul', { class: 'upload-list', 'aria-label': 'Uploads' });
  const fileInput = el('input', {
    type: 'file', accept, multiple: true, class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true', id: uid('file'),
  });
  fileInput.addEventListener('change', () => {
    const files = [...fileInput.files];
    fileInput.value = '';
    if (files.length) uploadFiles(files);
  });
  const dropZone = el('div', { class: 'drop-zone' },
    el('p', {}, el('strong', { text: dropText }), ' or '),
    button('Choose files…', () => fileInput.click(), { kind: 'primary' }),
    fileInput);
  dropZone.addEventListener('dragover', (e) => {
    if (!e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    dropZone.classList.add('drag-over');
  });
  dropZone.addEventListener('dragleave', (e) => {
    if (!dropZone.contains(e.relatedTarget)) dropZone.classList.remove('drag-over');
  });
  dropZone.addEventListener('drop', (e) => {
    dropZone.classList.remove('drag-over');
    if (!e.dataTransfer.files || !e.dataTransfer.files.length) return;
    e.preventDefault();
    uploadFiles([...e.dataTransfer.files]);
  });

  // A file dropped next to the drop zone would make the browser open it and leave the app.
  const keepFiles = (e) => {
    if (e.dataTransfer && e.dataTransfer.types.includes('Files') && !dropZone.contains(e.target)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'none';
    }
  };
  document.addEventListener('dragover', keepFiles);
  document.addEventListener('drop', keepFiles);

  const clearButton = button('Clear finished', () => {
    for (const li of [...list.children]) if (li.dataset.state !== 'active' && li.dataset.state) li.remove();
    clearButton.hidden = !list.children.length;
  }, { kind: 'ghost', hidden: true });

  let queue = Promise.resolve();
  function uploadFiles(files) {
    const rows = files.map(uploadRow);
    queue = queue.then(async () => {
      for (const row of rows) await row.run();
      await onFinished();
    });
  }

  function uploadRow(file) {
    const progress = el('progress', { max: 100, value: 0, 'aria-label': `Upload progress of ${file.name}` });
    const status = el('span', { class: 'upload-status', text: 'Waiting' });
    const item = el('li', { class: 'upload', dataset: { file: file.name } },
      el('span', { class: 'upload-name', text: file.name }),
      el('span', { class: 'upload-size', text: formatBytes(file.size) }),
      progress, status);
    list.append(item);
    clearButton.hidden = false;
    const set = (text, kind) => {
      status.textContent = text;
      item.dataset.state = kind;
    };
    return {
      async run() {
        let overwrite = false;
        try {
          set('Checking…', 'active');
          const answer = await get(existsPath(file.name));
          if (answer && answer.exists) {
            overwrite = await confirmDialog(replaceTitle, replaceText(file.name), { confirmText: 'Replace' });
            if (!overwrite) {
              set('Skipped: a file with this name exists', 'skipped');
              return;
            }
          }
          set('Uploading…', 'active');
          await uploadFile(uploadPath, file, {
            overwrite,
            onProgress: (f) => {
              progress.value = Math.round(f * 100);
              status.textContent = f < 1 ? `Uploading… ${Math.round(f * 100)}%` : processingText;
            },
          });
          progress.value = 100;
          set(overwrite ? 'Uploaded (replaced)' : 'Uploaded', 'done');
        } catch (e) {
          if (e.authLost) return;
          const why = e.status === 409 ? `Already exists: ${e.message}`
            : e.status === 413 ? `Too large: ${e.message}`
              : e.message;
          set(`Failed: ${why}`, 'error');
        }
      },
    };
  }

  return {
    dropZone,
    list,
    clearButton,
    destroy() {
      document.removeEventListener('dragover', keepFiles);
      document.removeEventListener('drop', keepFiles);
    },
  };
}
